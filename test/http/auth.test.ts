import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operations } from "../../src/http/openapi.js";
import { type Harness, startHarness, TEST_SECRET } from "../support/engine-harness.js";

let engine: Harness;
beforeAll(async () => {
  engine = await startHarness();
  await engine.client.createChat({ chatId: "c1", provider: "claude" });
});
afterAll(() => engine.stop());

const concrete = (path: string) => path.replace("{chatId}", "c1").replace("{filename}", "plan.md");

describe("authentication", () => {
  for (const op of operations.filter((o) => !o.public)) {
    it(`${op.method.toUpperCase()} ${op.path} refuses a missing or wrong secret with 401`, async () => {
      const attempts: Record<string, string>[] = [
        {},
        { "x-replicas-engine-secret": "wrong-secret-of-some-length" },
        { "x-replicas-engine-secret": "" },
      ];
      for (const headers of attempts) {
        const response = await fetch(engine.url + concrete(op.path), {
          method: op.method.toUpperCase(),
          headers,
        });
        expect(response.status).toBe(401);
        const body = (await response.json()) as { error: { code: string } };
        expect(body.error.code).toBe("unauthorized");
        expect(JSON.stringify(body)).not.toContain(TEST_SECRET);
      }
    });
  }

  it("unknown routes are behind the secret too, then a JSON 404", async () => {
    expect((await fetch(`${engine.url}/nope`)).status).toBe(401);
    const response = await fetch(`${engine.url}/nope`, {
      headers: { "x-replicas-engine-secret": TEST_SECRET },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "not_found", message: "no route GET /nope" },
    });
  });

  it("/health needs no secret and says initializing until the readiness file exists", async () => {
    const before = await fetch(`${engine.url}/health`);
    expect(before.status).toBe(200);
    expect(((await before.json()) as { status: string }).status).toBe("initializing");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(`${engine.home}/ready`, "cloud-init done\n");
    const after = (await (await fetch(`${engine.url}/health`)).json()) as { status: string };
    expect(after.status).toBe("ok");
  });

  it("the right secret is accepted", async () => {
    const response = await fetch(`${engine.url}/status`, {
      headers: { "x-replicas-engine-secret": TEST_SECRET },
    });
    expect(response.status).toBe(200);
  });
});

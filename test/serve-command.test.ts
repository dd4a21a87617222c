import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EngineClient } from "../src/client/engine-client.js";
import { cliPath, runCli } from "./support/cli.js";
import { freePort, spawnEngine } from "./support/engine-process.js";
import { waitUntil } from "./support/wait-until.js";

const home = mkdtempSync(join(tmpdir(), "replicas-serve-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("replicas-engine serve", () => {
  it("without a secret outside production, generates one (mode 0600), says how to use it, never prints it", async () => {
    const port = await freePort();
    const engine = await spawnEngine(home, port, {
      args: [cliPath, "serve"],
      env: { REPLICAS_ENGINE_SECRET: undefined },
    });
    const secretFile = join(home, ".replicas", "engine", "secret");
    const secret = readFileSync(secretFile, "utf8").trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    await waitUntil(
      () => engine.output().includes("call the API with"),
      "the instructions are printed",
    );
    expect(engine.output()).toContain(`generated a secret in ${secretFile} (mode 0600)`);
    expect(engine.output()).toContain(`X-Replicas-Engine-Secret: $(cat ${secretFile})`);
    expect(engine.output()).not.toContain(secret);
    const status = await new EngineClient({ baseUrl: engine.url, secret }).status();
    expect(status.epoch).toMatch(/^[0-9a-f]{32}$/);

    engine.child.kill("SIGTERM");
    expect((await engine.child).exitCode).toBe(0);
    const again = await spawnEngine(home, port, {
      args: [cliPath, "serve"],
      env: { REPLICAS_ENGINE_SECRET: undefined },
    });
    await waitUntil(
      () => again.output().includes("using a secret in"),
      "the stored secret is reused",
    );
    expect(readFileSync(secretFile, "utf8").trim()).toBe(secret);
    again.child.kill("SIGINT");
    expect((await again.child).exitCode).toBe(0);
    expect(again.output()).not.toContain(secret);
  });

  it("names every bad or missing variable in one message and does not start", async () => {
    const result = await runCli(["serve"], {
      env: {
        HOME: home,
        REPLICAS_ENGINE_PORT: "eighty",
        REPLICAS_TURN_WATCHDOG_MS: "-5",
        MONOLITH_URL: "not a url",
        REPLICAS_ENGINE_SECRET: "short",
      },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/invalid environment \(\d+ problems/);
    for (const name of [
      "REPLICAS_ENGINE_PORT",
      "REPLICAS_TURN_WATCHDOG_MS",
      "MONOLITH_URL",
      "REPLICAS_ENGINE_SECRET",
    ]) {
      expect(result.stderr).toContain(name);
    }
    expect(result.stderr).not.toContain("short");
  });

  it("refuses to run in production without a secret", async () => {
    const result = await runCli(["serve"], {
      env: { HOME: home, NODE_ENV: "production", REPLICAS_ENGINE_SECRET: "" },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("REPLICAS_ENGINE_SECRET");
  });

  it("says what went wrong when the port is taken", async () => {
    const port = await freePort();
    const first = await spawnEngine(home, port, { args: [cliPath, "serve"] });
    const second = await runCli(["serve"], {
      env: {
        HOME: mkdtempSync(join(tmpdir(), "replicas-serve-2-")),
        REPLICAS_ENGINE_PORT: String(port),
        REPLICAS_ENGINE_SECRET: "0123456789abcdef0123",
      },
    });
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toContain(`cannot listen on 127.0.0.1:${port}`);
    first.child.kill("SIGTERM");
    await first.child;
  });
});

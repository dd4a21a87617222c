import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operations } from "../../src/http/openapi.js";
import { type Harness, startHarness, TEST_SECRET } from "../support/engine-harness.js";

let engine: Harness;
beforeAll(async () => {
  engine = await startHarness();
});
afterAll(() => engine.stop());

const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ":$1");

describe("OpenAPI", () => {
  it("the table lists exactly the routes the app serves", () => {
    const documented = operations
      .map((op) => `${op.method.toUpperCase()} ${honoPath(op.path)}`)
      .sort();
    expect(engine.routes.slice().sort()).toEqual(documented);
  });

  it("GET /openapi.json describes every route with the schemas the routes validate with", async () => {
    const doc = await engine.client.get<{
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            parameters: { name: string; in: string }[];
            requestBody?: {
              content: Record<
                string,
                { schema: { properties: Record<string, { enum?: string[] }>; required?: string[] } }
              >;
            };
          }
        >
      >;
    }>("/openapi.json");
    expect(doc.openapi).toBe("3.1.0");
    for (const op of operations)
      expect(doc.paths[op.path]?.[op.method], `${op.method} ${op.path}`).toBeDefined();
    const create = doc.paths["/chats"]?.post?.requestBody?.content["application/json"]?.schema;
    expect(create?.properties.provider?.enum).toEqual(["claude", "codex"]);
    expect(create?.required).toEqual(["provider"]);
    const history = doc.paths["/chats/{chatId}/history"]?.get?.parameters.map(
      (p) => `${p.in}:${p.name}`,
    );
    expect(history).toEqual(["path:chatId", "query:after", "query:limit"]);
  });

  it("only /health is public", async () => {
    const publicOps = operations.filter((op) => op.public).map((op) => op.path);
    expect(publicOps).toEqual(["/health"]);
    const response = await fetch(`${engine.url}/openapi.json`);
    expect(response.status).toBe(401);
    const ok = await fetch(`${engine.url}/openapi.json`, {
      headers: { "x-replicas-engine-secret": TEST_SECRET },
    });
    expect(ok.status).toBe(200);
  });
});

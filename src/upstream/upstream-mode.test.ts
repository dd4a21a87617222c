import { describe, expect, it } from "vitest";
import { parseEngineEnv } from "../engine-env.js";
import { upstreamMode } from "./upstream-mode.js";

function env(source: Record<string, string>) {
  const parsed = parseEngineEnv(source);
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed.env;
}

describe("upstreamMode", () => {
  it("is standalone without MONOLITH_URL, and says why", () => {
    expect(upstreamMode(env({}))).toEqual({
      mode: "standalone",
      reason: "MONOLITH_URL is not set: no webhook, no token refresh",
    });
  });

  it("is connected with MONOLITH_URL, naming the URL and workspace (never the secret)", () => {
    const mode = upstreamMode(
      env({
        MONOLITH_URL: "https://monolith.example.com",
        WORKSPACE_ID: "ws-9",
        REPLICAS_ENGINE_SECRET: "s3cret-s3cret-s3cret",
      }),
    );
    expect(mode).toEqual({
      mode: "connected",
      monolithUrl: "https://monolith.example.com",
      workspaceId: "ws-9",
    });
    expect(JSON.stringify(mode)).not.toContain("s3cret");
  });
});

import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../package-root.js";
import { AgentBinary, findAgentBinary } from "./agent-binary.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "agent-bin-"));
  await writeFile(join(dir, "codex"), "#!/bin/sh\n");
  await chmod(join(dir, "codex"), 0o755);
  await writeFile(join(dir, "not-executable"), "");
  await mkdir(join(dir, "a-directory"));
  await chmod(join(dir, "a-directory"), 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("findAgentBinary", () => {
  test("finds the command on PATH first", async () => {
    expect(await findAgentBinary("codex", { PATH: `/nonexistent:${dir}` })).toBe(
      join(dir, "codex"),
    );
  });

  test("an explicit path wins; a missing, non-executable or directory one is not replaced", async () => {
    expect(await findAgentBinary(join(dir, "codex"), { PATH: "" })).toBe(join(dir, "codex"));
    expect(await findAgentBinary(join(dir, "missing"), { PATH: dir })).toBeNull();
    expect(await findAgentBinary(join(dir, "not-executable"), { PATH: dir })).toBeNull();
    expect(await findAgentBinary(join(dir, "a-directory"), { PATH: dir })).toBeNull();
  });

  test("not on PATH: the package's own node_modules/.bin has the pinned CLIs", async () => {
    const bin = join(packageRoot, "node_modules", ".bin");
    expect(await findAgentBinary("claude", { PATH: "/nonexistent" })).toBe(join(bin, "claude"));
    expect(await findAgentBinary("codex", {})).toBe(join(bin, "codex"));
    expect(await findAgentBinary("no-such-agent-cli", { PATH: dir })).toBeNull();
  });
});

describe("AgentBinary", () => {
  const spec = {
    command: "no-such-agent-cli",
    envVar: "REPLICAS_X_BIN",
    install: "install it with npm",
    versionOf: () => null,
  };

  test("missing: provider_not_found naming the override variable and how to install", async () => {
    const binary = new AgentBinary({ ...spec, override: undefined }, { PATH: dir });
    expect(await binary.resolve()).toBeNull();
    expect(await binary.probe()).toEqual({ found: false, path: null, version: null });
    const error = binary.missing();
    expect(error.code).toBe("provider_not_found");
    expect(error.message).toContain("REPLICAS_X_BIN");
    expect(error.message).toContain("install it with npm");
  });

  test("an override that is not executable is named in the message", () => {
    const override = join(dir, "not-executable");
    const error = new AgentBinary({ ...spec, override }, {}).missing();
    expect(error.message).toContain(`REPLICAS_X_BIN=${override}`);
  });
});

import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../../src/package-root.js";

/** The pinned real `claude` of this repo (devDependency, linked at node_modules/.bin/claude). */
export function pinnedClaudeBinary(): string {
  return join(packageRoot, "node_modules", ".bin", "claude");
}

export interface ClaudeTestEnv {
  /** Private HOME: ~/.claude (sessions, plans) lives here. */
  home: string;
  /** Where plan mode writes plans: $HOME/.claude/plans */
  plansDir: string;
  /** The complete environment for the CLI; nothing leaks in from the developer's shell. */
  env: Record<string, string>;
  /** A fresh private working directory under the same root. */
  makeWorkdir(name: string): Promise<string>;
  cleanup(): Promise<void>;
}

async function privateDir(path: string): Promise<string> {
  await mkdir(path, { recursive: true });
  await chmod(path, 0o700);
  return path;
}

/**
 * A hermetic environment for the real CLI against a fake model server (see
 * ../shared/reference/claude-code/PROTOCOL.md): private HOME, temp and runtime dirs (the CLI
 * otherwise writes /tmp/cc-socks and /tmp/claude-<uid>), no telemetry, no updater, a dummy key.
 * IS_SANDBOX=1 because the tests run as root and bypassPermissions refuses root otherwise.
 */
export async function makeClaudeEnv(baseUrl: string): Promise<ClaudeTestEnv> {
  const root = await mkdtemp(join(tmpdir(), "claude-test-"));
  const home = await privateDir(join(root, "home"));
  const cliTmp = await privateDir(join(root, "tmp"));
  const runtime = await privateDir(join(root, "run"));
  const plansDir = join(home, ".claude", "plans");
  await mkdir(plansDir, { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    LANG: "C.UTF-8",
    HOME: home,
    TMPDIR: cliTmp,
    CLAUDE_CODE_TMPDIR: cliTmp,
    XDG_RUNTIME_DIR: runtime,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: "sk-ant-test-dummy-key-not-a-secret",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_ERROR_REPORTING: "1",
    IS_SANDBOX: "1",
  };
  return {
    home,
    plansDir,
    env,
    makeWorkdir: async (name) => {
      const dir = join(root, "work", name);
      await mkdir(dir, { recursive: true });
      return dir;
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

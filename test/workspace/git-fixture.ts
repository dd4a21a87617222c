import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { execa } from "execa";

/** Git as the tests drive it: no user or system config, a fixed identity. */
const env = {
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
};

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await execa("git", args, { cwd, env, timeout: 30_000 });
  return result.stdout;
}

/** Runs git and returns its exit code instead of throwing (merges and rebases that conflict). */
export async function gitExitCode(cwd: string, ...args: string[]): Promise<number> {
  const result = await execa("git", args, { cwd, env, timeout: 30_000, reject: false });
  return result.exitCode ?? -1;
}

export async function initRepo(path: string, branch = "main"): Promise<string> {
  await mkdir(path, { recursive: true });
  await git(path, "init", "-q", "-b", branch);
  return path;
}

export async function writeFiles(
  repo: string,
  files: Record<string, string | Uint8Array>,
): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(repo, name)), { recursive: true });
    await writeFile(join(repo, name), content);
  }
}

export async function commitFiles(
  repo: string,
  files: Record<string, string | Uint8Array>,
  message = "change",
): Promise<string> {
  await writeFiles(repo, files);
  await git(repo, "add", "-A");
  await git(repo, "commit", "-q", "-m", message);
  return git(repo, "rev-parse", "HEAD");
}

/** n lines "line 1".."line n", each ending with a newline. */
export function lines(n: number, prefix = "line"): string {
  return Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join("");
}

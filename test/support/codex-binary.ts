import { existsSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../src/package-root.js";

const nativeTargets: Record<string, { pkg: string; triple: string }> = {
  x64: { pkg: "@openai/codex-linux-x64", triple: "x86_64-unknown-linux-musl" },
  arm64: { pkg: "@openai/codex-linux-arm64", triple: "aarch64-unknown-linux-musl" },
};

/**
 * The pinned Codex CLI from the repo's devDependencies. The native executable is preferred:
 * `node_modules/.bin/codex` is a Node wrapper, one more process between a signal and the CLI.
 * Throws when neither is installed: these tests are never skipped.
 */
export function pinnedCodexBinary(): string {
  const target = nativeTargets[process.arch];
  if (target) {
    const native = join(
      packageRoot,
      "node_modules",
      target.pkg,
      "vendor",
      target.triple,
      "bin",
      "codex",
    );
    if (existsSync(native)) return native;
  }
  const wrapper = join(packageRoot, "node_modules", ".bin", "codex");
  if (existsSync(wrapper)) return wrapper;
  throw new Error("the pinned @openai/codex CLI is not installed (run npm install)");
}

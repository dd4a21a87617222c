import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { execa } from "execa";
import type { TurnError } from "../../events/chat-events.js";
import { packageRoot } from "../../package-root.js";
import type { ProviderProbe } from "../provider.js";
import { providerErrorCodes, turnError } from "./error-codes.js";

export interface AgentBinarySpec {
  /** The command name, looked up when there is no override: `claude`, `codex`. */
  command: string;
  /** The variable that overrides it (a path, or a name looked up the same way). */
  envVar: string;
  /** How to install it, for the message when it is missing. */
  install: string;
  /** The override's value, if set. */
  override: string | undefined;
  /** The version in `<binary> --version`'s output. */
  versionOf: (stdout: string) => string | null;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** PATH first, then the package's own node_modules/.bin (the pinned CLIs, whoever started us). */
function searchDirs(env: Record<string, string | undefined>): string[] {
  return [...(env.PATH ?? "").split(delimiter), join(packageRoot, "node_modules", ".bin")].filter(
    (dir) => dir !== "",
  );
}

/**
 * Finds an agent executable: an override with a slash is a path, used as it is (a missing one is
 * not silently replaced by another); a bare name is looked up in `searchDirs`. Null when
 * nothing is an executable file.
 */
export async function findAgentBinary(
  name: string,
  env: Record<string, string | undefined>,
): Promise<string | null> {
  if (isAbsolute(name) || name.includes("/")) {
    const path = resolve(name);
    return (await isExecutableFile(path)) ? path : null;
  }
  for (const dir of searchDirs(env)) {
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return null;
}

/**
 * One agent's binary: found at first use and cached once found (looked up again while missing,
 * so installing it later is picked up), probed once with `--version`.
 */
export class AgentBinary {
  #found: string | null = null;
  #probe: Promise<ProviderProbe> | null = null;

  constructor(
    private readonly spec: AgentBinarySpec,
    private readonly env: Record<string, string>,
  ) {}

  async resolve(): Promise<string | null> {
    this.#found ??= await findAgentBinary(this.spec.override ?? this.spec.command, this.env);
    return this.#found;
  }

  /** The `provider_not_found` error, naming what to do. */
  missing(): TurnError {
    const { command, envVar, install, override } = this.spec;
    const what = override
      ? `${envVar}=${override} is not an executable file`
      : `no \`${command}\` on PATH nor in ${join(packageRoot, "node_modules", ".bin")}`;
    return turnError(
      providerErrorCodes.notFound,
      `The ${command} binary was not found (${what}): ${install}, or set ${envVar} to its path.`,
      { binary: override ?? command },
    );
  }

  /** `--version`, once: the boot report and /status share it. */
  probe(): Promise<ProviderProbe> {
    this.#probe ??= this.#runProbe();
    return this.#probe;
  }

  async #runProbe(): Promise<ProviderProbe> {
    const path = await this.resolve();
    if (!path) return { found: false, path: null, version: null };
    const result = await execa(path, ["--version"], {
      env: this.env,
      extendEnv: false,
      reject: false,
      timeout: 15_000,
      stdin: "ignore",
    });
    if (result.failed) return { found: false, path, version: null };
    return { found: true, path, version: this.spec.versionOf(String(result.stdout)) };
  }
}

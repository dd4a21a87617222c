import { type ParseArgsConfig, parseArgs } from "node:util";
import { type CommandIo, exitCode } from "./command-io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface CommandUsage {
  /** The synopsis line, `replicas-engine <command> ...`. */
  synopsis: string;
  /** One line per option, for --help. */
  details: readonly string[];
}

export type Parsed<O extends Options> =
  | { ok: true; values: ReturnType<typeof parseArgs<{ options: O; strict: true }>>["values"] }
  | { ok: false; exit: number };

export const renderUsage = (usage: CommandUsage) =>
  [`usage: ${usage.synopsis}`, ...usage.details.map((line) => `  ${line}`)].join("\n");

/**
 * Parses a command's options strictly: `--help` prints the usage and exits 0; an unknown
 * option or a stray argument prints what was wrong and the usage, and exits 2.
 */
export async function parseCommandArgs<O extends Options>(
  args: string[],
  options: O,
  usage: CommandUsage,
  io: CommandIo,
): Promise<Parsed<O>> {
  if (args.includes("--help") || args.includes("-h")) {
    await io.out(renderUsage(usage));
    return { ok: false, exit: exitCode.ok };
  }
  try {
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    return { ok: true, values };
  } catch (error) {
    return { ok: false, exit: usageError(io, (error as Error).message, usage) };
  }
}

/** A usage mistake: the message, then the usage; exit code 2. */
export function usageError(io: CommandIo, message: string, usage: CommandUsage): number {
  io.note(`replicas-engine: ${message}\n${renderUsage(usage)}`);
  return exitCode.usage;
}

#!/usr/bin/env node
import { exitCode, flushed, terminalIo } from "./command-io.js";
import { logCommand, logUsage } from "./log-command.js";
import {
  type CommandUsage,
  parseCommandArgs,
  renderUsage,
  usageError,
} from "./parse-command-args.js";
import { replayCommand, replayUsage } from "./replay-command.js";

const serveUsage: CommandUsage = {
  synopsis: "replicas-engine serve",
  details: [
    "Runs the engine; every setting comes from the environment (docs/configuration.md).",
    "It prints `replicas-engine listening on <url>` and serves until SIGTERM or SIGINT.",
  ],
};

const commandsUsage: CommandUsage = {
  synopsis: "replicas-engine <command> [options]   (replicas-engine <command> --help for one)",
  details: [serveUsage.synopsis, replayUsage.synopsis, logUsage.synopsis],
};

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "serve": {
      const parsed = await parseCommandArgs(args, {}, serveUsage, terminalIo);
      if (!parsed.ok) return parsed.exit;
      // Loaded only here: `log` and `replay` start in a fraction of the time without the engine;
      // the agents' adapters only once the engine serves (see lazyProviders).
      const { runEngineProcess } = await import("../engine/run-engine-process.js");
      return runEngineProcess(async (env, logger) =>
        (await import("../providers/create-providers.js")).createProviders(env, logger),
      );
    }
    case "replay":
      return replayCommand(args, terminalIo);
    case "log": {
      const stop = new AbortController();
      process.once("SIGINT", () => stop.abort());
      return logCommand(args, terminalIo, stop.signal);
    }
    case "help":
    case "--help":
    case "-h":
      await terminalIo.out(renderUsage(commandsUsage));
      return exitCode.ok;
    default:
      return usageError(
        terminalIo,
        command ? `unknown command "${command}"` : "which command?",
        commandsUsage,
      );
  }
}

main(process.argv.slice(2)).then(
  // Exit explicitly (a lingering handle, an unreachable inspector relay, must not keep us
  // alive), but only once the output is out: a pipe's stdout is asynchronous.
  async (code) => {
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(
      `replicas-engine: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);

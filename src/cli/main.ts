#!/usr/bin/env node
import { runEngineProcess } from "../engine/run-engine-process.js";
import { createProviders } from "../providers/create-providers.js";
import { terminalIo } from "./command-io.js";
import { logCommand, logUsage } from "./log-command.js";
import { replayCommand, replayUsage } from "./replay-command.js";

const usage = ["usage:", "  replicas-engine serve", `  ${replayUsage}`, `  ${logUsage}`].join("\n");

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "serve":
      return runEngineProcess(createProviders);
    case "replay":
      return replayCommand(args, terminalIo);
    case "log": {
      const stop = new AbortController();
      process.once("SIGINT", () => stop.abort());
      return logCommand(args, terminalIo, stop.signal);
    }
    default:
      return terminalIo.fail(command ? `unknown command "${command}"\n${usage}` : usage);
  }
}

main(process.argv.slice(2)).then(
  // Exit explicitly: a lingering handle (an unreachable inspector relay) must not keep us alive.
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `replicas-engine: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);

import { runEngineProcess } from "../../src/engine/run-engine-process.js";
import { ScriptedProvider } from "./scripted-provider.js";

/** The real engine process with the scripted provider standing in for both agents. */
runEngineProcess(async () => ({
  claude: new ScriptedProvider("claude"),
  codex: new ScriptedProvider("codex"),
})).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);

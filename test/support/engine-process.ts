import { createServer } from "node:net";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";
import { supportScript } from "./cli.js";
import { TEST_SECRET } from "./engine-harness.js";

/** A port that was free a moment ago, so a restarted engine can come back on the same URL. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface EngineProcess {
  url: string;
  child: ResultPromise;
  output: () => string;
}

/**
 * Starts an engine as a real child process: by default with the scripted provider; with
 * `{ args: [cliPath, "serve"] }` the real `replicas-engine serve` with the real agents.
 */
export async function spawnEngine(
  home: string,
  port: number,
  /** An `undefined` value removes the variable (the child sees it unset). */
  options: {
    args?: string[];
    env?: Record<string, string | undefined>;
    /** In a process group of its own (its pid is the group id), as a terminal or systemd starts it. */
    detached?: boolean;
  } = {},
): Promise<EngineProcess> {
  const child = execa(process.execPath, options.args ?? [supportScript("scripted-engine")], {
    env: {
      HOME: home,
      REPLICAS_ENGINE_SECRET: TEST_SECRET,
      REPLICAS_ENGINE_PORT: String(port),
      REPLICAS_READINESS_FILE: join(home, "ready"),
      LOG_LEVEL: "warn",
      ...options.env,
    },
    extendEnv: true,
    reject: false,
    buffer: false,
    detached: options.detached ?? false,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on("data", check);
    child.once("exit", () => reject(new Error(`engine exited before listening:\n${output}`)));
  });
  return { url, child, output: () => output };
}

import { fileURLToPath } from "node:url";
import { execa } from "execa";

/** Runs a compiled helper of dist/bench as a child process. */
export function benchScript(name: string, args: string[], nodeArgs: string[] = []) {
  const script = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  return execa(process.execPath, [...nodeArgs, script, ...args], { buffer: true, reject: true });
}

/** Starts a compiled helper server of dist/bench and waits for its "listening on <url>" line. */
export async function startBenchServer(name: string, args: string[]) {
  const script = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  const child = execa(process.execPath, [script, ...args], { reject: false, buffer: false });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", () => reject(new Error(`${name} exited before listening: ${output}`)));
  });
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await child;
    },
  };
}

import { Agent, request } from "node:http";

/**
 * A load generator in its own process: `connections` keep-alive connections, each sending GETs
 * back to back, for a warm-up second and then `seconds`. Prints {"requests", "errors", "seconds"}.
 * Usage: load-loop <url> <connections> <seconds> [secret]
 */
const [url = "", connections = "8", seconds = "3", secret = ""] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: Number(connections) });
const headers = secret ? { "x-replicas-engine-secret": secret } : {};
let requests = 0;
let errors = 0;

function get(): Promise<void> {
  return new Promise((resolve) => {
    const req = request(url, { agent, headers }, (res) => {
      res.on("data", () => {});
      res.on("end", () => {
        if (res.statusCode === 200) requests++;
        else errors++;
        resolve();
      });
    });
    req.on("error", () => {
      errors++;
      resolve();
    });
    req.end();
  });
}

async function load(ms: number): Promise<number> {
  const started = performance.now();
  const deadline = started + ms;
  const loop = async () => {
    while (performance.now() < deadline) await get();
  };
  await Promise.all(Array.from({ length: Number(connections) }, loop));
  return (performance.now() - started) / 1000;
}

await load(1000);
requests = 0;
errors = 0;
const elapsed = await load(Number(seconds) * 1000);
process.stdout.write(`${JSON.stringify({ requests, errors, seconds: elapsed })}\n`);
agent.destroy();

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { TEST_SECRET } from "../test/support/engine-harness.js";
import { benchScript, startBenchServer } from "./bench-process.js";
import type { BenchRow } from "./bench-row.js";
import { benchTempDir } from "./bench-temp.js";
import { startEngineChild } from "./engine-child.js";
import { median } from "./stats.js";

const CHATS = 100;
const CONNECTIONS = 8;
const SECONDS = 3;
const ROUNDS = 3;

/**
 * GET /chats (100 chats) and GET /status against the engine process, and against a bare
 * node:http process sending the same bytes, each loaded the same way by a keep-alive load loop
 * in a third process.
 */
export async function benchHttp(): Promise<BenchRow[]> {
  const engine = await startEngineChild("http");
  const dir = benchTempDir("http");
  const rows: BenchRow[] = [];
  try {
    for (let i = 0; i < CHATS; i++) {
      await engine.client.createChat({
        provider: "claude",
        chatId: `chat-${i}`,
        title: `Chat ${i}`,
      });
    }
    for (const path of ["/chats", "/status"]) {
      const bytes = await (
        await fetch(`${engine.url}${path}`, {
          headers: { "x-replicas-engine-secret": TEST_SECRET },
        })
      ).text();
      const file = join(dir, `${path.slice(1)}.json`);
      writeFileSync(file, bytes);
      const bare = await startBenchServer("bare-server", [file]);
      try {
        // Interleaved rounds, medians: the machine's load changes under both alike.
        const bareRuns: number[] = [];
        const engineRuns: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          bareRuns.push(await load(`${bare.url}${path}`));
          engineRuns.push(await load(`${engine.url}${path}`));
        }
        const bareRate = median(bareRuns);
        const engineRate = median(engineRuns);
        const name = `http.get_${path.slice(1)}`;
        rows.push(
          {
            name: `${name}.bare_node_http`,
            value: bareRate,
            unit: "req/s",
            note: `${bytes.length} bytes`,
          },
          {
            name: `${name}.engine`,
            value: engineRate,
            unit: "req/s",
            ratio: engineRate / bareRate,
            goal: ">= 0.8",
            note: `${CONNECTIONS} keep-alive connections, median of ${ROUNDS}`,
          },
        );
      } finally {
        await bare.stop();
      }
    }
  } finally {
    await engine.stop();
  }
  return rows;
}

async function load(url: string): Promise<number> {
  const { stdout } = await benchScript("load-loop", [
    url,
    String(CONNECTIONS),
    String(SECONDS),
    TEST_SECRET,
  ]);
  const result = JSON.parse(stdout) as { requests: number; errors: number; seconds: number };
  if (result.errors > 0) throw new Error(`${result.errors} failed requests to ${url}`);
  return result.requests / result.seconds;
}

import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createParser } from "eventsource-parser";
import { execa, type ResultPromise } from "execa";
import { packageRoot } from "../src/package-root.js";
import type { ClaudeTestEnv } from "../test/support/claude-env.js";
import { pinnedClaudeBinary } from "../test/support/claude-env.js";

/** The closest peer, pinned: the daemon and the ACP adapter it runs Claude Code through. */
const PACKAGES = {
  "@sandbox-agent/cli": "0.4.2",
  "@sandbox-agent/cli-linux-x64": "0.4.2",
  "@zed-industries/claude-agent-acp": "0.20.0",
} as const;

/** A cache folder (gitignored): installed once, reused by later runs. */
const CACHE = join(packageRoot, ".bench", "peer");
const BINARY = join(
  CACHE,
  "node_modules",
  "@sandbox-agent",
  "cli-linux-x64",
  "bin",
  "sandbox-agent",
);
const ADAPTER_BIN = join(CACHE, "node_modules", ".bin");

function installedVersion(name: string): string | undefined {
  const file = join(CACHE, "node_modules", name, "package.json");
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version
    : undefined;
}

/**
 * Installs the pinned packages into the cache with npm unless they are there already; returns
 * the daemon's binary. Throws, saying why, where the peer cannot run.
 */
export async function installSandboxAgent(): Promise<string> {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `the peer is pinned for linux-x64, this is ${process.platform}-${process.arch}`,
    );
  }
  const missing = Object.entries(PACKAGES).filter(
    ([name, version]) => installedVersion(name) !== version,
  );
  if (missing.length > 0) {
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(join(CACHE, "package.json"), '{ "private": true }\n');
    const specs = Object.entries(PACKAGES).map(([name, version]) => `${name}@${version}`);
    const result = await execa(
      "npm",
      ["install", "--no-audit", "--no-fund", "--loglevel=error", ...specs],
      {
        cwd: CACHE,
        reject: false,
        timeout: 300_000,
      },
    );
    if (result.exitCode !== 0) {
      throw new Error(
        `npm install ${specs.join(" ")} failed: ${String(result.stderr).slice(-500)}`,
      );
    }
  }
  if (!existsSync(BINARY)) throw new Error(`the install left no binary at ${BINARY}`);
  // Its postinstall only sets this bit, and npm may not run install scripts.
  chmodSync(BINARY, 0o755);
  return BINARY;
}

/**
 * The daemon on `port`, hermetic like the engine's CLI runs: the Claude environment (private
 * HOME, the fake model server), the adapter and the pinned `claude` first on PATH (where the
 * daemon looks for both), and the adapter pointed at that `claude`.
 */
export function spawnSandboxAgent(
  binary: string,
  port: number,
  claude: ClaudeTestEnv,
): ResultPromise {
  return execa(
    binary,
    ["server", "--no-token", "--no-telemetry", "-H", "127.0.0.1", "-p", String(port)],
    {
      env: {
        ...claude.env,
        PATH: [
          dirname(process.execPath),
          ADAPTER_BIN,
          dirname(pinnedClaudeBinary()),
          claude.env.PATH,
        ].join(":"),
        CLAUDE_CODE_EXECUTABLE: pinnedClaudeBinary(),
      },
      extendEnv: false,
      reject: false,
      buffer: false,
    },
  );
}

/**
 * One ACP server of the daemon (`/v1/acp/:serverId`, one adapter process): JSON-RPC requests
 * POSTed one by one, each answered when the agent responds (a prompt: when its turn ends).
 */
export class AcpServer {
  private nextId = 1;
  private started = false;
  private readonly url: string;
  private readonly stream = new AbortController();
  /** The agent's notifications (session/update...) received on the server's SSE stream. */
  notifications = 0;

  constructor(daemonUrl: string, serverId: string) {
    this.url = `${daemonUrl}/v1/acp/${encodeURIComponent(serverId)}`;
  }

  /**
   * Opens the server's SSE stream, as the SDK does once the server exists, and parses every
   * envelope on it (the agent's session/update notifications: its streamed text, tool calls),
   * as the engine's side parses its event stream: both clients then receive what a turn streams.
   */
  private listen(): void {
    const parser = createParser({
      onEvent: (event) => {
        JSON.parse(event.data);
        this.notifications += 1;
      },
    });
    void fetch(this.url, { headers: { accept: "text/event-stream" }, signal: this.stream.signal })
      .then(async (res) => {
        if (!res.ok || !res.body) throw new Error(`sandbox-agent SSE: HTTP ${res.status}`);
        const decoder = new TextDecoder();
        for await (const chunk of res.body) parser.feed(decoder.decode(chunk, { stream: true }));
      })
      .catch((error: unknown) => {
        if (!this.stream.signal.aborted)
          process.stderr.write(`bench peer: sandbox-agent's SSE stream ended: ${String(error)}\n`);
      });
  }

  /** Closes the SSE stream (before the daemon stops). */
  close(): void {
    this.stream.abort();
  }

  async request<T = Record<string, unknown>>(method: string, params: unknown): Promise<T> {
    // The first request names the agent: the daemon starts its adapter then.
    const url = this.started ? this.url : `${this.url}?agent=claude`;
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: this.nextId++, method, params }),
    });
    const text = await res.text();
    if (!res.ok)
      throw new Error(`sandbox-agent ${method}: HTTP ${res.status} ${text.slice(0, 300)}`);
    const body = JSON.parse(text) as { result?: T; error?: unknown };
    if (body.error !== undefined)
      throw new Error(`sandbox-agent ${method}: ${JSON.stringify(body.error)}`);
    if (!this.started) this.listen();
    this.started = true;
    return body.result as T;
  }
}

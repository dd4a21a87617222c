import { execa, type ResultPromise } from "execa";
import { pinnedCodexBinary } from "./codex-binary.js";
import { jsonLines } from "./json-lines.js";

/** One JSON-RPC line from the app-server: a response, a notification or a server request. */
export interface RpcLine {
  id?: number | string;
  method?: string;
  params?: Record<string, unknown> & { item?: Record<string, unknown> };
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

/**
 * The real pinned `codex app-server`, driven line by line without the engine's adapter: a test
 * (or a research probe, see docs/approvals-research.md) makes calls, answers the server's
 * requests and waits for the lines it expects.
 */
export interface CodexAppServerStream {
  readonly lines: RpcLine[];
  /** A call; resolves with its response line. */
  call(method: string, params: unknown): Promise<RpcLine>;
  notify(method: string): void;
  /** Answers a server request (an approval, a user-input request) with `result`. */
  respond(id: number | string, result: unknown): void;
  /** The first line at or after `from` that matches; waits for it. */
  waitFor(match: (line: RpcLine) => boolean, from?: number): Promise<RpcLine>;
  kill(signal: NodeJS.Signals): void;
  /** Closes stdin and waits for the exit. */
  close(): Promise<void>;
}

/** A server request (it has both an id and a method), e.g. `item/commandExecution/requestApproval`. */
export const isServerRequest = (line: RpcLine) =>
  line.id !== undefined && line.method !== undefined;

export async function startCodexAppServer(options: {
  cwd: string;
  env: NodeJS.ProcessEnv;
}): Promise<CodexAppServerStream> {
  const child: ResultPromise = execa(pinnedCodexBinary(), ["app-server"], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    reject: false,
    stdin: "pipe",
    buffer: false,
  });
  const { lines, waitFor } = jsonLines<RpcLine>(child, "the app-server");
  const write = (line: unknown) => child.stdin?.write(`${JSON.stringify(line)}\n`);
  let nextId = 1;
  const call = (method: string, params: unknown) => {
    const id = nextId++;
    write({ id, method, params });
    return waitFor((l) => l.id === id && l.method === undefined);
  };
  const server: CodexAppServerStream = {
    lines,
    call,
    notify: (method) => write({ method }),
    respond: (id, result) => write({ id, result }),
    waitFor,
    kill: (signal) => {
      child.kill(signal);
    },
    close: async () => {
      child.stdin?.end();
      await child;
    },
  };
  await call("initialize", {
    clientInfo: { name: "replicas-test", title: "replicas-test", version: "0" },
    capabilities: { experimentalApi: true },
  });
  server.notify("initialized");
  return server;
}

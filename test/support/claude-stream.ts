import { execa, type ResultPromise } from "execa";
import { pinnedClaudeBinary } from "./claude-env.js";
import { jsonLines } from "./json-lines.js";

/** One stdout line of the CLI, parsed (stream-json); `raw` keeps the exact text. */
export interface StreamLine {
  type?: string;
  subtype?: string;
  request_id?: string;
  request?: {
    subtype?: string;
    tool_name?: string;
    input?: Record<string, unknown>;
    [k: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * The real pinned `claude` in stream-json mode, driven line by line, without the engine's
 * adapter in between: a test (or a research probe, see docs/approvals-research.md) sends user
 * turns and control responses and waits for the lines it expects.
 */
export interface ClaudeStream {
  readonly lines: StreamLine[];
  /** Every line written to stdin, in order. */
  readonly sent: unknown[];
  sendUser(text: string): void;
  send(line: unknown): void;
  /** Answers a `control_request` with a success response carrying `response`. */
  answer(requestId: string, response: unknown): void;
  /** The first line at or after `from` that matches; waits for it. */
  waitFor(match: (line: StreamLine) => boolean, from?: number): Promise<StreamLine>;
  /** Sends a signal to the CLI (a crash of its host, when SIGKILL). */
  kill(signal: NodeJS.Signals): void;
  /** Closes stdin and waits for the exit. */
  close(): Promise<{ exitCode: number | undefined; stderr: string }>;
}

export function spawnClaudeStream(options: {
  cwd: string;
  env: Record<string, string>;
  args: string[];
}): ClaudeStream {
  const sent: unknown[] = [];
  const child: ResultPromise = execa(
    pinnedClaudeBinary(),
    [
      "-p",
      "--input-format",
      "stream-json",
      "--output-format",
      "stream-json",
      "--verbose",
      ...options.args,
    ],
    {
      cwd: options.cwd,
      env: options.env,
      extendEnv: false,
      reject: false,
      stdin: "pipe",
      buffer: { stdout: false },
    },
  );
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr += chunk;
  });
  const { lines, waitFor } = jsonLines<StreamLine>(child, "the CLI", () => stderr);
  const send = (line: unknown) => {
    sent.push(line);
    child.stdin?.write(`${JSON.stringify(line)}\n`);
  };
  return {
    lines,
    sent,
    send,
    sendUser: (text) =>
      send({
        type: "user",
        session_id: "",
        message: { role: "user", content: [{ type: "text", text }] },
        parent_tool_use_id: null,
      }),
    answer: (requestId, response) =>
      send({
        type: "control_response",
        response: { subtype: "success", request_id: requestId, response },
      }),
    waitFor,
    kill: (signal) => {
      child.kill(signal);
    },
    close: async () => {
      child.stdin?.end();
      const result = await child;
      return { exitCode: result.exitCode, stderr };
    },
  };
}

/** Token counts one fake response reports in `response.completed`. */
export interface FakeUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

export const defaultUsage: FakeUsage = {
  inputTokens: 100,
  cachedInputTokens: 20,
  outputTokens: 10,
  reasoningTokens: 3,
};

/** What the fake answers to one `POST /v1/responses`. */
export type ResponseStep =
  /** An assistant message streamed in chunks (one chunk per delta), optional reasoning first. */
  | {
      type: "text";
      chunks: string[];
      chunkDelayMs?: number;
      reasoning?: string;
      usage?: FakeUsage;
    }
  /** A function call the CLI executes; its output arrives in the next request. */
  | { type: "function_call"; name: string; arguments: unknown; usage?: FakeUsage }
  /** Opens the stream (`response.created`) and then sends nothing until the client gives up. */
  | { type: "stall" }
  /** An HTTP error with an OpenAI-style JSON body. */
  | { type: "http_error"; status: number; message: string };

export function text(
  value: string,
  options: { chunks?: number; chunkDelayMs?: number; reasoning?: string; usage?: FakeUsage } = {},
): ResponseStep {
  return {
    type: "text",
    chunks: splitInto(value, options.chunks ?? 1),
    ...(options.chunkDelayMs === undefined ? {} : { chunkDelayMs: options.chunkDelayMs }),
    ...(options.reasoning === undefined ? {} : { reasoning: options.reasoning }),
    ...(options.usage === undefined ? {} : { usage: options.usage }),
  };
}

/** Codex's unified shell tool: `exec_command {"cmd": ...}`. */
export function shell(command: string, usage?: FakeUsage): ResponseStep {
  return {
    type: "function_call",
    name: "exec_command",
    arguments: { cmd: command },
    ...(usage ? { usage } : {}),
  };
}

export function stall(): ResponseStep {
  return { type: "stall" };
}

export function httpError(status: number, message = "Incorrect API key provided"): ResponseStep {
  return { type: "http_error", status, message };
}

function splitInto(value: string, parts: number): string[] {
  if (parts <= 1 || value.length <= 1) return [value];
  const size = Math.ceil(value.length / parts);
  const chunks: string[] = [];
  for (let i = 0; i < value.length; i += size) chunks.push(value.slice(i, i + size));
  return chunks;
}

/**
 * A file added through Codex's `apply_patch` (run by the shell tool, which Codex turns into a
 * `fileChange` item and, when its policy says so, an `item/fileChange/requestApproval`).
 */
export function addFile(path: string, content: string, usage?: FakeUsage): ResponseStep {
  const lines = content.split("\n").map((line) => `+${line}`);
  return shell(
    [
      "apply_patch <<'EOF'",
      "*** Begin Patch",
      `*** Add File: ${path}`,
      ...lines,
      "*** End Patch",
      "EOF",
    ].join("\n"),
    usage,
  );
}

/**
 * Codex's `request_user_input` tool (answered only in the plan collaboration mode, else the
 * model is told it is unavailable).
 */
export function requestUserInput(
  questions: Array<{
    id: string;
    header: string;
    question: string;
    options: Array<{ label: string; description: string }>;
  }>,
): ResponseStep {
  return { type: "function_call", name: "request_user_input", arguments: { questions } };
}

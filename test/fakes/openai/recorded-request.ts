/** One request the fake received, parsed, for tests to assert on. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or null when it was not JSON. */
  body: unknown;
  receivedAt: number;
}

interface InputEntry {
  type?: unknown;
  role?: unknown;
  content?: unknown;
  call_id?: unknown;
  output?: unknown;
}

function inputEntries(request: RecordedRequest): InputEntry[] {
  const body = request.body as { input?: unknown } | null;
  return Array.isArray(body?.input) ? (body.input as InputEntry[]) : [];
}

/**
 * The user's own messages in the request's conversation, in order. Codex also sends user-role
 * context blocks (`<environment_context>`, instructions); those are left out.
 */
export function userTexts(request: RecordedRequest): string[] {
  const texts: string[] = [];
  for (const entry of inputEntries(request)) {
    if (entry.type !== "message" || entry.role !== "user" || !Array.isArray(entry.content)) {
      continue;
    }
    for (const part of entry.content as { type?: unknown; text?: unknown }[]) {
      if (
        part.type === "input_text" &&
        typeof part.text === "string" &&
        !part.text.startsWith("<")
      ) {
        texts.push(part.text);
      }
    }
  }
  return texts;
}

/** The last user message: what this request asks. */
export function lastUserText(request: RecordedRequest): string | null {
  return userTexts(request).at(-1) ?? null;
}

/** The assistant messages of earlier turns that the request replays as context. */
export function assistantTexts(request: RecordedRequest): string[] {
  const texts: string[] = [];
  for (const entry of inputEntries(request)) {
    if (entry.type !== "message" || entry.role !== "assistant" || !Array.isArray(entry.content)) {
      continue;
    }
    for (const part of entry.content as { type?: unknown; text?: unknown }[]) {
      if (part.type === "output_text" && typeof part.text === "string") texts.push(part.text);
    }
  }
  return texts;
}

/** Outputs of function calls the CLI executed, keyed by call id. */
export function functionCallOutputs(request: RecordedRequest): Map<string, string> {
  const outputs = new Map<string, string>();
  for (const entry of inputEntries(request)) {
    if (entry.type === "function_call_output" && typeof entry.call_id === "string") {
      outputs.set(
        entry.call_id,
        typeof entry.output === "string" ? entry.output : JSON.stringify(entry.output),
      );
    }
  }
  return outputs;
}

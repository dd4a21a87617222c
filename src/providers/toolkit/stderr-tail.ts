import { redactSecrets } from "./secret-redaction.js";

/** What a failed turn carries of the agent's stderr (characters, after redaction). */
export const STDERR_TAIL_CHARS = 4096;
/** What is held before redaction: whole lines only, so no secret is ever held cut in two. */
const HELD_CHARS = 64 * 1024;

/**
 * The end of an agent's stderr, for the error of a turn that failed. Secrets are removed
 * *before* the text is cut to its size: a key that straddles the cut must not survive in part.
 * The raw text is held as whole lines from their first character; a line longer than the
 * held size is replaced by a note of its size.
 */
export class StderrTail {
  #lines: string[] = [];
  #partial = "";
  #held = 0;

  constructor(
    private readonly env: Record<string, string | undefined>,
    /** Each complete line, redacted (for a debug log). */
    private readonly onLine?: (line: string) => void,
  ) {}

  push(chunk: string): void {
    const pieces = (this.#partial + chunk).split("\n");
    this.#partial = pieces.pop() ?? "";
    if (this.#partial.length > HELD_CHARS) {
      this.#partial = "";
      pieces.push(`[a stderr line over ${HELD_CHARS} characters omitted]`);
    }
    for (const line of pieces) this.#keep(line);
  }

  /** The redacted tail: the last STDERR_TAIL_CHARS characters of the redacted text. */
  text(): string {
    const raw = [...this.#lines, this.#partial].join("\n");
    return redactSecrets(raw, this.env).slice(-STDERR_TAIL_CHARS);
  }

  #keep(line: string): void {
    this.onLine?.(redactSecrets(line, this.env).slice(0, 500));
    this.#lines.push(line);
    this.#held += line.length + 1;
    while (this.#held > HELD_CHARS && this.#lines.length > 1) {
      this.#held -= (this.#lines.shift() ?? "").length + 1;
    }
  }
}

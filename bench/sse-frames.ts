import { request } from "node:http";

export interface FrameCounter {
  /** Resolves once the server has sent its preamble. */
  ready: Promise<void>;
  /**
   * Resolves with performance.now() once a chat.turn.completed frame has arrived whole (its
   * blank line too); counting stops. Rejects when the connection fails or ends before it.
   */
  done: Promise<number>;
  frames(): number;
  /** Everything received through the completed frame's chunk, when recording. */
  text(): string;
  close(): void;
}

const FRAME = "\nevent: ";
const COMPLETED = "\nevent: chat.turn.completed";

/**
 * An SSE connection that only counts frames (no parsing), so that a thousand of them in one
 * process cost the same for the engine and for the raw server they are compared with.
 */
export function countFrames(
  url: string,
  options: { headers?: Record<string, string>; record?: boolean } = {},
): FrameCounter {
  let frames = 0;
  let carry = "";
  /** What came after the completed frame's marker, while its end has not arrived. */
  let completing: string | null = null;
  let finished = false;
  let recorded = "";
  let markReady: () => void = () => {};
  let markDone: (at: number) => void = () => {};
  let failReady: (error: Error) => void = () => {};
  let failDone: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  const done = new Promise<number>((resolve, reject) => {
    markDone = resolve;
    failDone = reject;
  });
  const fail = (error: Error) => {
    failReady(error);
    failDone(error);
  };
  // A run waits on `ready` or `done` alone; the other must not be an unhandled rejection.
  ready.catch(() => {});
  done.catch(() => {});
  const finishOnceWhole = () => {
    if (completing === null || !completing.includes("\n\n")) return;
    finished = true;
    markDone(performance.now());
  };
  const req = request(url, { agent: false, headers: options.headers }, (res) => {
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      markReady();
      if (finished) return;
      if (options.record) recorded += chunk;
      if (completing !== null) {
        completing += chunk;
        finishOnceWhole();
        return;
      }
      let text = carry + chunk;
      const end = text.indexOf(COMPLETED);
      if (end !== -1) {
        completing = text.slice(end + COMPLETED.length);
        text = text.slice(0, end + FRAME.length); // frames after the turn are not counted
      }
      // A marker that lies wholly in the carried tail was counted with the previous chunk.
      for (let at = text.indexOf(FRAME); at !== -1; at = text.indexOf(FRAME, at + 1)) {
        if (at + FRAME.length > carry.length) frames++;
      }
      carry = text.slice(-(COMPLETED.length - 1));
      finishOnceWhole();
    });
    res.on("end", () => {
      if (!finished) fail(new Error(`${url}: the stream ended before the turn's completed frame`));
    });
  });
  req.on("error", (error) => {
    if (!finished) fail(new Error(`${url}: ${error.message}`));
  });
  req.end();
  return {
    ready,
    done,
    frames: () => frames,
    text: () => recorded,
    close: () => req.destroy(),
  };
}

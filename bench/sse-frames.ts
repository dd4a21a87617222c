import { request } from "node:http";

export interface FrameCounter {
  /** Resolves once the server has sent its preamble. */
  ready: Promise<void>;
  /** Resolves with performance.now() when a chat.turn.completed frame arrives; counting stops. */
  done: Promise<number>;
  frames(): number;
  /** Everything received until the completed frame's chunk, when recording. */
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
  let finished = false;
  let recorded = "";
  let markReady: () => void = () => {};
  let markDone: (at: number) => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const done = new Promise<number>((resolve) => {
    markDone = resolve;
  });
  const req = request(url, { agent: false, headers: options.headers }, (res) => {
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      markReady();
      if (finished) return;
      if (options.record) recorded += chunk;
      let text = carry + chunk;
      const end = text.indexOf(COMPLETED);
      if (end !== -1) {
        text = text.slice(0, end + FRAME.length); // frames after the turn are not counted
        finished = true;
      }
      // A marker that lies wholly in the carried tail was counted with the previous chunk.
      for (let at = text.indexOf(FRAME); at !== -1; at = text.indexOf(FRAME, at + 1)) {
        if (at + FRAME.length > carry.length) frames++;
      }
      carry = text.slice(-(COMPLETED.length - 1));
      if (finished) markDone(performance.now());
    });
  });
  req.on("error", () => {});
  req.end();
  return {
    ready,
    done,
    frames: () => frames,
    text: () => recorded,
    close: () => req.destroy(),
  };
}

import type { ServerType } from "@hono/node-server";

/**
 * Runs `work` once: after the server's first answer has gone out (a supervisor's first /health
 * poll, as a rule), or `fallbackMs` after this call when no answer has gone out by then (nobody
 * asks, or the first request is a stream that stays open). Work that no request needs at once
 * then never keeps that first answer waiting. `cancel` (a stop) drops work not yet begun.
 */
export function afterFirstAnswer(server: ServerType, work: () => void, fallbackMs: number) {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    clearTimeout(fallback);
    server.off("request", onRequest);
    work();
  };
  // `finish`: the answer is handed to the OS; setImmediate lets the loop send it first.
  const onRequest = (_request: unknown, response: NodeJS.EventEmitter) =>
    response.once("finish", () => setImmediate(run));
  const fallback = setTimeout(run, fallbackMs);
  server.on("request", onRequest);
  return {
    cancel: () => {
      done = true;
      clearTimeout(fallback);
      server.off("request", onRequest);
    },
  };
}

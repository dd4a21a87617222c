import { setTimeout as sleep } from "node:timers/promises";
import { catalogue } from "../events/catalogue.js";
import type { Db } from "../log/open-database.js";
import { openReadOnly } from "../log/open-read-only.js";
import { readEventsBatch } from "../log/read-events-batch.js";
import { readLastPosition } from "../log/read-last-position.js";
import { encodeEventJson } from "../log/stored-event.js";
import { type CommandIo, exitCode, failed } from "./command-io.js";
import { type CommandUsage, parseCommandArgs, usageError } from "./parse-command-args.js";

export const logUsage: CommandUsage = {
  synopsis:
    "replicas-engine log --db <file> [--after <position>] [--stream <name>]... [--type <type>]... [--follow]",
  details: [
    "Prints the log's events as JSON lines, oldest first; on stderr, the position it read up to.",
    "--db <file>         the engine's database (default path ~/.replicas/engine/engine.db)",
    "--after <position>  only events after this position (exclusive; default 0)",
    "--stream <name>     only this stream (chat:<id>, engine, hooks, ...); repeatable",
    "--type <type>       only this event type (chat.message.queued, ...); repeatable",
    "--follow            keep printing new events until interrupted (Ctrl-C)",
  ],
};

const logOptions = {
  db: { type: "string" },
  after: { type: "string", default: "0" },
  stream: { type: "string", multiple: true },
  type: { type: "string", multiple: true },
  follow: { type: "boolean", default: false },
} as const;

interface Filter {
  streams?: string[];
  types?: string[];
}

/**
 * Prints events as JSON lines. Each pass reads up to the head it found first, so what it
 * prints is the committed prefix of the log up to that position, every matching event once;
 * that position (a later read never states a smaller one) ends the output on stderr.
 * --follow keeps polling for new events until interrupted.
 */
export async function logCommand(
  args: string[],
  io: CommandIo,
  signal?: AbortSignal,
): Promise<number> {
  const parsed = await parseCommandArgs(args, logOptions, logUsage, io);
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
  if (!values.db) return usageError(io, "missing --db <file>", logUsage);
  let after = Number(values.after);
  if (!(Number.isInteger(after) && after >= 0)) {
    return usageError(
      io,
      `--after must be a position (a whole number), got "${values.after}"`,
      logUsage,
    );
  }
  const unknown = values.type?.filter((type) => !catalogue.types.includes(type)) ?? [];
  if (unknown.length > 0) {
    return usageError(
      io,
      `unknown event type ${unknown.map((t) => `"${t}"`).join(", ")}; the types are: ${catalogue.types.join(", ")}`,
      logUsage,
    );
  }
  const opened = openReadOnly(values.db);
  if (!opened.ok) return failed(io, opened.message);
  const { db, epoch } = opened;
  const filter: Filter = { streams: values.stream, types: values.type };
  let head = 0;
  try {
    for (;;) {
      head = readLastPosition(db);
      if (head > after) after = await printUpTo(db, io, filter, after, head);
      if (!values.follow || signal?.aborted) break;
      await sleep(250, undefined, { signal }).catch(() => undefined);
      if (signal?.aborted) break;
    }
    io.note(`read up to position ${head} of log epoch ${epoch}`);
    return exitCode.ok;
  } catch (error) {
    return failed(io, `reading ${values.db}: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}

/** Prints the matching events in (after, head], page by page; returns head. */
async function printUpTo(
  db: Db,
  io: CommandIo,
  filter: Filter,
  after: number,
  head: number,
): Promise<number> {
  for (let from = after; ; ) {
    const rows = readEventsBatch(db, { ...filter, after: from, until: head, limit: 1_000 });
    for (const row of rows) await io.out(encodeEventJson(catalogue, row));
    const last = rows.at(-1);
    if (!last) return head;
    from = last.position;
  }
}

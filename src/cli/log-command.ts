import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { catalogue } from "../events/catalogue.js";
import { openDatabase } from "../log/open-database.js";
import { readEventsBatch } from "../log/read-events-batch.js";
import { encodeEventJson } from "../log/stored-event.js";
import type { CommandIo } from "./command-io.js";

export const logUsage =
  "replicas-engine log --db <file> [--after <position>] [--stream <name>] [--type <type>] [--follow]";

/** Prints events as JSON lines; --follow keeps polling for new ones until interrupted. */
export async function logCommand(
  args: string[],
  io: CommandIo,
  signal?: AbortSignal,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: "string" },
      after: { type: "string", default: "0" },
      stream: { type: "string", multiple: true },
      type: { type: "string", multiple: true },
      follow: { type: "boolean", default: false },
    },
  });
  if (!values.db) return io.fail(`missing --db\nusage: ${logUsage}`);
  let after = Number(values.after);
  if (!(Number.isInteger(after) && after >= 0)) {
    return io.fail(`--after must be a position (a whole number), got "${values.after}"`);
  }
  const db = openDatabase(values.db, { readonly: true });
  try {
    for (;;) {
      const rows = readEventsBatch(db, {
        after,
        limit: 1_000,
        streams: values.stream,
        types: values.type,
      });
      for (const row of rows) {
        if (!process.stdout.write(`${encodeEventJson(catalogue, row)}\n`))
          await once(process.stdout, "drain");
      }
      after = rows.at(-1)?.position ?? after;
      if (rows.length > 0) continue;
      if (!values.follow || signal?.aborted) return 0;
      await sleep(250, undefined, { signal }).catch(() => undefined);
      if (signal?.aborted) return 0;
    }
  } finally {
    db.close();
  }
}

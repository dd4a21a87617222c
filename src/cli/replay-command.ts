import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { projections } from "../../projections/all.js";
import { catalogue } from "../events/catalogue.js";
import { openDatabase } from "../log/open-database.js";
import { documentStore } from "../read-models/document-store.js";
import { projectionCheckpoints } from "../read-models/projection-checkpoints.js";
import { compareReadModels } from "../replay/compare-read-models.js";
import { renderReadModel } from "../replay/read-model-file.js";
import { replayLog } from "../replay/replay-log.js";
import type { CommandIo } from "./command-io.js";

export const replayUsage =
  "replicas-engine replay --db <file> [--until <position>] [--out <dir>] [--check]";

/** Rebuilds every read model from the log alone; --check compares with the stored ones. */
export function replayCommand(args: string[], io: CommandIo): number {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: "string" },
      until: { type: "string" },
      out: { type: "string" },
      check: { type: "boolean", default: false },
    },
  });
  if (!values.db) return io.fail(`missing --db\nusage: ${replayUsage}`);
  const until = values.until === undefined ? undefined : Number(values.until);
  if (until !== undefined && !(Number.isInteger(until) && until >= 0)) {
    return io.fail(`--until must be a position (a whole number), got "${values.until}"`);
  }
  if (values.check && until !== undefined) {
    return io.fail("--check compares the whole log with the stored read models: drop --until");
  }
  const db = openDatabase(values.db, { readonly: true });
  try {
    // One read transaction: a consistent snapshot even while the engine keeps appending.
    const outcome = db.transaction(() => {
      const replay = replayLog(db, catalogue, projections, until);
      const difference = values.check
        ? compareReadModels(
            projections,
            replay.documents,
            replay.position,
            documentStore(db),
            projectionCheckpoints(db).get,
          )
        : null;
      return { replay, difference };
    })();
    const { replay } = outcome;
    const out = values.out ?? mkdtempSync(join(tmpdir(), "replicas-replay-"));
    mkdirSync(out, { recursive: true });
    for (const p of projections) {
      const docs = replay.documents.get(p.name) ?? new Map();
      writeFileSync(join(out, `${p.name}.jsonl`), renderReadModel(p, replay.position, docs));
    }
    const rate =
      replay.millis > 0 ? Math.round((replay.events / replay.millis) * 1000) : replay.events;
    io.out(
      `replayed ${replay.events} events up to position ${replay.position} in ${replay.millis.toFixed(0)} ms (${rate} events/s); read models in ${out}`,
    );
    if (values.check) {
      if (outcome.difference) return io.fail(`read models differ: ${outcome.difference}`);
      io.out("stored read models match the replay");
    }
    return 0;
  } finally {
    db.close();
  }
}

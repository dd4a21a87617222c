import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projections } from "../../projections/all.js";
import { catalogue } from "../events/catalogue.js";
import { openReadOnly } from "../log/open-read-only.js";
import { documentStore } from "../read-models/document-store.js";
import { projectionCheckpoints } from "../read-models/projection-checkpoints.js";
import { compareReadModels } from "../replay/compare-read-models.js";
import { renderReadModel } from "../replay/read-model-file.js";
import { replayLog } from "../replay/replay-log.js";
import { type CommandIo, exitCode, failed } from "./command-io.js";
import { type CommandUsage, parseCommandArgs, usageError } from "./parse-command-args.js";

export const replayUsage: CommandUsage = {
  synopsis: "replicas-engine replay --db <file> [--until <position>] [--out <dir>] [--check]",
  details: [
    "Rebuilds every read model from the log alone, in one read transaction (safe beside a running engine).",
    "--db <file>          the engine's database (default path ~/.replicas/engine/engine.db)",
    "--until <position>   stop at this position (inclusive): the read models as they were then",
    "--out <dir>          write each read model there as sorted JSON lines (otherwise none are written)",
    "--check              compare with the stored read models; exit 1 naming the first difference",
  ],
};

const replayOptions = {
  db: { type: "string" },
  until: { type: "string" },
  out: { type: "string" },
  check: { type: "boolean", default: false },
} as const;

/** Rebuilds every read model from the log alone; --check compares with the stored ones. */
export async function replayCommand(args: string[], io: CommandIo): Promise<number> {
  const parsed = await parseCommandArgs(args, replayOptions, replayUsage, io);
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
  if (!values.db) return usageError(io, "missing --db <file>", replayUsage);
  const until = values.until === undefined ? undefined : Number(values.until);
  if (until !== undefined && !(Number.isInteger(until) && until >= 0)) {
    return usageError(
      io,
      `--until must be a position (a whole number), got "${values.until}"`,
      replayUsage,
    );
  }
  if (values.check && until !== undefined) {
    return usageError(
      io,
      "--check compares the whole log with the stored read models: drop --until",
      replayUsage,
    );
  }
  const opened = openReadOnly(values.db);
  if (!opened.ok) return failed(io, opened.message);
  const { db, epoch } = opened;
  try {
    // One read transaction: a consistent snapshot even while the engine keeps appending.
    const { replay, difference } = db.transaction(() => {
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
    if (values.out) {
      mkdirSync(values.out, { recursive: true });
      for (const p of projections) {
        const docs = replay.documents.get(p.name) ?? new Map();
        writeFileSync(
          join(values.out, `${p.name}.jsonl`),
          renderReadModel(p, replay.position, docs),
        );
      }
    }
    const rate =
      replay.millis > 0 ? Math.round((replay.events / replay.millis) * 1000) : replay.events;
    await io.out(
      `replayed ${replay.events} events up to position ${replay.position} of log epoch ${epoch} in ${replay.millis.toFixed(0)} ms (${rate} events/s)${values.out ? `; read models in ${values.out}` : ""}`,
    );
    if (difference) return failed(io, `read models differ: ${difference}`);
    if (values.check) await io.out("stored read models match the replay");
    return exitCode.ok;
  } catch (error) {
    return failed(io, `reading ${values.db}: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}

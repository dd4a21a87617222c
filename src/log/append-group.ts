import type { NewEvent } from "../events/catalogue.js";
import {
  type AppendError,
  type AppendResult,
  type ExpectedVersion,
  type ValidatedBatch,
  validateEvents,
  writeEvents,
} from "./append-to-stream.js";
import type { EventLog, InlineProjections } from "./event-log.js";
import { immediateTransaction } from "./immediate-transaction.js";

/** What a batch of a group is answered once the group is written. */
export type GroupedAppendResult =
  | AppendResult
  | { ok: false; error: { code: "earlier_batch_failed"; stream: string; message: string } }
  | { ok: false; error: { code: "append_failed"; message: string; cause: unknown } };

type Settle = (result: GroupedAppendResult) => void;

interface Queued {
  stream: string;
  batch: ValidatedBatch;
  expected: ExpectedVersion;
  settle: Settle;
}

/**
 * Batches of several streams appended in one transaction: what writers queue during one turn of
 * the event loop commits together at its end, and listeners hear of it once. Each batch keeps
 * its own expected-version check, in the order it was queued, and gets its own answer: one that
 * fails (a conflict) fails alone, and so do the later batches of its stream in the group, never
 * written out of order; the others commit. Should the transaction throw as a whole (a
 * projection, the disk), each batch is tried alone, so the failure stays with its batch.
 *
 * The flush runs in `setImmediate`, not a microtask: Node drains microtasks after every timer
 * and I/O callback, so a microtask would commit each callback's batch alone, where the check
 * phase comes once after all the timers and I/O that were due (20 chats' deltas firing in one
 * timer batch make one commit).
 */
export class AppendGroup {
  private queued: Queued[] = [];
  private scheduled: NodeJS.Immediate | null = null;

  constructor(private readonly log: EventLog<InlineProjections>) {}

  /**
   * Queues a batch for the group's commit; `settle` hears how it went after the commit (it must
   * not throw: it runs in the flush, for every batch in turn). A batch the catalogue refuses is
   * answered now and queues nothing.
   */
  queue(
    stream: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion },
    settle: Settle,
  ): { ok: true } | { ok: false; error: AppendError } {
    const checked = validateEvents(this.log, events);
    if (!checked.ok) return checked;
    this.queued.push({ stream, batch: checked.batch, expected: options.expectedVersion, settle });
    this.scheduled ??= setImmediate(() => this.flush());
    return { ok: true };
  }

  /** Appends a batch now, in one transaction with every batch queued before it. */
  appendNow(
    stream: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): GroupedAppendResult {
    let answer: GroupedAppendResult = { ok: false, error: appendFailed("not answered") };
    const queued = this.queue(stream, events, options, (result) => {
      answer = result;
    });
    if (!queued.ok) return queued;
    this.flush();
    return answer;
  }

  /** Commits what is queued now; at shutdown, before the log closes. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    const batches = this.queued;
    if (batches.length === 0) return;
    this.queued = [];
    let outcomes: Outcome[];
    try {
      outcomes = this.commit(batches, new Set());
    } catch {
      // Nothing of the group committed: each batch alone, so only the one that throws fails.
      outcomes = [];
      const failedStreams = new Set<string>();
      for (const queued of batches) {
        try {
          outcomes.push(...this.commit([queued], failedStreams));
        } catch (cause) {
          failedStreams.add(queued.stream);
          outcomes.push({ queued, result: { ok: false, error: appendFailed(cause) } });
        }
      }
    }
    for (const { queued, result } of outcomes) queued.settle(result);
  }

  /** One transaction; the read models and listeners hear of it only after it committed. */
  private commit(batches: readonly Queued[], failedStreams: Set<string>): Outcome[] {
    const log = this.log;
    const staged = immediateTransaction(log.db, () => {
      const outcomes = inStreamOrder(batches, failedStreams, (queued) =>
        writeEvents(log, queued.stream, queued.batch, queued.expected),
      );
      const recorded = outcomes.flatMap(({ result }) =>
        result.ok && !result.duplicate ? result.events : [],
      );
      return { outcomes, last: recorded.at(-1), publish: log.readModels.stage(recorded) };
    });
    staged.publish();
    if (staged.last) log.commits.notify(staged.last.position);
    return staged.outcomes;
  }
}

interface Outcome {
  queued: Queued;
  result: GroupedAppendResult;
}

/** Writes the batches in order; after a stream's batch fails, its later ones are not tried. */
function inStreamOrder(
  batches: readonly Queued[],
  failedStreams: Set<string>,
  write: (queued: Queued) => AppendResult,
): Outcome[] {
  return batches.map((queued): Outcome => {
    const { stream } = queued;
    if (failedStreams.has(stream)) {
      const message = `an earlier batch of ${stream} in the same group failed; this one was not written`;
      return {
        queued,
        result: { ok: false, error: { code: "earlier_batch_failed", stream, message } },
      };
    }
    const result = write(queued);
    if (!result.ok) failedStreams.add(stream);
    return { queued, result };
  });
}

function appendFailed(cause: unknown) {
  const message = cause instanceof Error ? cause.message : String(cause);
  return { code: "append_failed" as const, message, cause };
}

const groups = new WeakMap<EventLog<InlineProjections>, AppendGroup>();

/** The log's one group: every writer queuing on it shares its commits. */
export function appendGroupOf(log: EventLog<InlineProjections>): AppendGroup {
  let group = groups.get(log);
  if (!group) {
    group = new AppendGroup(log);
    groups.set(log, group);
  }
  return group;
}

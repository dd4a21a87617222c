import { readLiveChats } from "../../projections/chats.js";
import { readEngineStatus } from "../../projections/engine-status.js";
import { writeFileAtomically } from "../files/atomic-write.js";
import type { CommitNotifier } from "../log/commit-notifier.js";
import type { Logger } from "../logger.js";
import type { ReadSide } from "./read-side.js";

export interface ExportPaths {
  chatsExport: string;
  stateExport: string;
}

/**
 * Keeps ~/.replicas/engine/chats.json and ~/.replicas/engine-state.json in step with the read
 * models. A burst of commits schedules one write after `delayMs`; a write finding the log where
 * the last one left it (a flush after the timer's write) writes nothing. Each file is replaced
 * atomically, mode 0600 (they hold chat titles and settings), not fsynced: it only mirrors the
 * log, which commits with `synchronous = NORMAL` and rewrites it on its next commit.
 */
export class ExportFiles {
  /** How many times the files were written: a burst of commits counts once. */
  writes = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  /** The epoch and position the files on disk reflect; null until the first write. */
  private written: string | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly log: ReadSide & { readonly commits: CommitNotifier },
    private readonly paths: ExportPaths,
    private readonly logger: Logger,
    private readonly delayMs = 200,
  ) {
    this.unsubscribe = log.commits.subscribe(() => this.schedule());
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writing = this.writing.then(() => this.write());
    }, this.delayMs);
    this.timer.unref();
  }

  /** Writes both files now; resolves when they are on disk. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  stop(): Promise<void> {
    this.unsubscribe();
    return this.flush();
  }

  /** A failed write is logged and retried on the next commit; it never stops the engine. */
  private async write(): Promise<void> {
    try {
      await this.writeFiles();
    } catch (error) {
      this.logger.error({ err: error }, "could not write the export files");
    }
  }

  private async writeFiles(): Promise<void> {
    const { readModels, commits, epoch } = this.log;
    const position = commits.position;
    const at = `${epoch}@${position}`;
    if (at === this.written) return;
    const chats = readLiveChats(readModels);
    const engine = readEngineStatus(readModels) ?? null;
    this.written = null;
    const files: [string, unknown][] = [
      [this.paths.chatsExport, { position, epoch, chats }],
      [this.paths.stateExport, { position, epoch, engine }],
    ];
    for (const [path, content] of files) {
      const text = `${JSON.stringify(content, null, 2)}\n`;
      const written = await writeFileAtomically(path, text, { durable: false });
      if (!written.ok) throw new Error(written.message);
    }
    this.written = at;
    this.writes++;
  }
}

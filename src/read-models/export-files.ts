import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { readLiveChats } from "../../projections/chats.js";
import { readEngineStatus } from "../../projections/engine-status.js";
import type { CommitNotifier } from "../log/commit-notifier.js";
import type { Logger } from "../logger.js";
import type { ReadSide } from "./read-side.js";

export interface ExportPaths {
  chatsExport: string;
  stateExport: string;
}

/**
 * Replaces `path` so a reader sees the old file or the new one, never half of one: a temp file
 * beside it (`<file>.<pid>`, the shape boot clears after a crash), renamed over it. Mode 0600:
 * they hold chat titles and settings. Not fsynced: the log itself commits with
 * `synchronous = NORMAL`, and an export only mirrors it (the next commit rewrites it), so the
 * fsync, stat, chown and exit handlers of write-file-atomic cost CPU every turn for a
 * durability the log does not have.
 */
async function replaceFile(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}`;
  await writeFile(temp, content, { mode: 0o600 });
  await rename(temp, path);
}

/**
 * Keeps ~/.replicas/engine/chats.json and ~/.replicas/engine-state.json in step with the read
 * models. A burst of commits schedules one write after `delayMs`; a write finding the log where
 * the last one left it (a flush after the timer's write) writes nothing. Writes are chained, so
 * one temp name per file is enough.
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
    // The folders are made once; a failed write makes them again on the retry.
    if (this.written === null) {
      await mkdir(dirname(this.paths.chatsExport), { recursive: true });
      await mkdir(dirname(this.paths.stateExport), { recursive: true });
    }
    this.written = null;
    await replaceFile(
      this.paths.chatsExport,
      `${JSON.stringify({ position, epoch, chats }, null, 2)}\n`,
    );
    await replaceFile(
      this.paths.stateExport,
      `${JSON.stringify({ position, epoch, engine }, null, 2)}\n`,
    );
    this.written = at;
    this.writes++;
  }
}

import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { chatsProjection } from "../../projections/chats.js";
import { engineStatusProjection } from "../../projections/engine-status.js";
import type { EventLog } from "../log/event-log.js";
import type { Logger } from "../logger.js";

export interface ExportPaths {
  chatsExport: string;
  stateExport: string;
}

/**
 * Keeps ~/.replicas/engine/chats.json and ~/.replicas/engine-state.json in step with the read
 * models. A burst of commits schedules one write after `delayMs`; each file is replaced
 * atomically (temp file + rename), so a reader never sees half a file. Mode 0600: they hold
 * chat titles and settings (write-file-atomic would otherwise keep an older file's mode).
 */
export class ExportFiles {
  /** How many times the files were written: a burst of commits counts once. */
  writes = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly log: EventLog,
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
    const chats = readModels.list(chatsProjection).filter((c) => c.status !== "deleted");
    const engine = readModels.get(engineStatusProjection, "engine") ?? null;
    await mkdir(dirname(this.paths.chatsExport), { recursive: true });
    await mkdir(dirname(this.paths.stateExport), { recursive: true });
    await writeFileAtomic(
      this.paths.chatsExport,
      `${JSON.stringify({ position, epoch, chats }, null, 2)}\n`,
      { mode: 0o600 },
    );
    await writeFileAtomic(
      this.paths.stateExport,
      `${JSON.stringify({ position, epoch, engine }, null, 2)}\n`,
      { mode: 0o600 },
    );
    this.writes++;
  }
}

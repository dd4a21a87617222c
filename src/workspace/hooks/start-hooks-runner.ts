import { readHooksStatus } from "../../../projections/hooks-status.js";
import { agentEnvironment } from "../../engine-env.js";
import type { HooksEvent } from "../../events/hooks-events.js";
import { appendToStream } from "../../log/append-to-stream.js";
import type { EventLog } from "../../log/event-log.js";
import type { Logger } from "../../logger.js";
import { discoverRepos } from "../repos/discover-repos.js";
import { decideHookRun } from "./decide-hook-run.js";
import { readBootId } from "./read-boot-id.js";
import { runStartHooks } from "./run-start-hooks.js";

export interface StartHooksRunnerDeps {
  log: EventLog;
  logger: Logger;
  workspacesRoot: string;
  logFile: string;
  bootId?: () => Promise<string | null>;
}

export type ForceResult = { ok: true } | { ok: false; code: "hooks_running"; message: string };

/**
 * Runs the start hooks at most once per workspace boot (or when forced), one run at a time,
 * recording each lifecycle event in the `hooks` stream before the run goes on.
 */
export class StartHooksRunner {
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Whether this runner (this engine process) has started a run: the boot then needs none. */
  private startedRun = false;
  private cutShortClosed = false;
  private readonly stopping = new AbortController();

  constructor(private readonly deps: StartHooksRunnerDeps) {}

  /**
   * At engine start: closes a run cut short by a stop, then runs unless this boot already did.
   * The boot claims the runner at once, so a POST /hooks/run meanwhile is refused (409) rather
   * than racing it. A forced run may still come first (boot waits for the first HTTP answer):
   * the boot then waits for it and runs nothing, the hooks having run since the workspace
   * booted. The returned promise ends when the boot's work does.
   */
  boot(): Promise<void> {
    return this.claim(async () => {
      this.closeCutShortRun();
      if (this.startedRun || this.stopped) return;
      const bootId = await this.readBootId();
      const status = readHooksStatus(this.deps.log.readModels);
      if (decideHookRun(status, bootId, false).run) await this.run(bootId, false);
    });
  }

  /**
   * Runs the hooks again now (POST /hooks/run); refused while a run is in progress. The run is
   * claimed before anything is awaited, so of a burst of calls exactly one starts a run.
   */
  force(): ForceResult {
    if (this.running)
      return { ok: false, code: "hooks_running", message: "the start hooks are running" };
    void this.claim(async () => {
      this.closeCutShortRun();
      await this.run(await this.readBootId(), true);
    });
    return { ok: true };
  }

  /**
   * Stops the running hook's process group (SIGTERM, then SIGKILL after the grace) and starts no
   * other; resolves once it is gone. Later lifecycle events are not recorded (the log is
   * closing): the next boot records the run as interrupted.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    await this.running;
  }

  private readBootId(): Promise<string | null> {
    return (this.deps.bootId ?? readBootId)();
  }

  /**
   * Marks the runner busy, synchronously, until `work` has finished (or failed: logged). Work
   * claimed while a run is going waits for it, so `running` always covers every run still going
   * and stop() waits for all of them.
   */
  private claim(work: () => Promise<void>): Promise<void> {
    const previous = this.running;
    const current: Promise<void> = (async () => {
      await previous; // never rejects: its failure was logged
      await work();
    })()
      .catch((error: unknown) =>
        this.deps.logger.error({ err: error }, "the start hooks run failed"),
      )
      .finally(() => {
        if (this.running === current) this.running = null;
      });
    this.running = current;
    return current;
  }

  /**
   * Before this runner's first run: a run the log still shows as running was cut short by the
   * engine's last stop. Recorded once, before any new run's events.
   */
  private closeCutShortRun(): void {
    if (this.cutShortClosed) return;
    this.cutShortClosed = true;
    const status = readHooksStatus(this.deps.log.readModels);
    const { interruptedRunId } = decideHookRun(status, null, false);
    if (!interruptedRunId) return;
    this.record({
      type: "hooks.run.interrupted",
      data: {
        runId: interruptedRunId,
        at: this.deps.log.now().toISOString(),
        reason: "engine_restart",
      },
    });
  }

  private async run(bootId: string | null, forced: boolean): Promise<void> {
    const { workspacesRoot, logFile } = this.deps;
    if (this.stopped) return;
    this.startedRun = true;
    await runStartHooks({
      repos: await discoverRepos(workspacesRoot),
      logFile,
      bootId,
      forced,
      env: agentEnvironment(process.env),
      onEvent: (event) => this.record(event),
      signal: this.stopping.signal,
    });
  }

  private record(event: HooksEvent): void {
    if (this.stopped) return;
    const result = appendToStream(this.deps.log, "hooks", [event]);
    if (!result.ok)
      this.deps.logger.error({ error: result.error }, "could not record a hooks event");
  }
}

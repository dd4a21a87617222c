import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import { v7 as uuidv7 } from "uuid";
import type { HooksEvent } from "../../events/hooks-events.js";
import type { DiscoveredRepo } from "../repos/discover-repos.js";
import { runHook } from "./run-hook.js";
import { readStartHooksConfig, type StartHook } from "./start-hooks-config.js";

export interface StartHooksRunOptions {
  /** Repositories in run order (discoverRepos sorts them by name). */
  repos: readonly DiscoveredRepo[];
  /** ~/.replicas/startHooks.log; output is appended. */
  logFile: string;
  bootId: string | null;
  forced: boolean;
  /** Called for each lifecycle event, in order; awaited, so the engine can append it first. */
  onEvent: (event: HooksEvent) => void | Promise<void>;
  /** The hooks' environment; the engine secret is always removed from it. */
  env?: NodeJS.ProcessEnv;
  killGraceMs?: number;
  now?: () => Date;
  /** Aborted when the engine stops: the running hook is stopped and no other starts. */
  signal?: AbortSignal;
}

/**
 * One start-hooks run: every repository's hooks in order, one at a time. A hook that fails or
 * times out stops the rest of its own repository's chain (later hooks usually build on earlier
 * ones: install, then build) as `skipped`; other repositories still run. Never throws for a hook.
 */
export async function runStartHooks(options: StartHooksRunOptions): Promise<{ runId: string }> {
  const now = options.now ?? (() => new Date());
  const env = { ...(options.env ?? process.env) };
  delete env.REPLICAS_ENGINE_SECRET;
  const runId = uuidv7();
  const startedAt = now();

  const configs = await Promise.all(
    options.repos.map(async (repo) => ({ repo, config: await readStartHooksConfig(repo.path) })),
  );
  const planned: Array<{ repo: DiscoveredRepo; hooks: StartHook[] }> = [];
  const invalidConfigs: Array<{ repo: string; path: string; message: string }> = [];
  for (const { repo, config } of configs) {
    if (config.kind === "ok") planned.push({ repo, hooks: config.hooks });
    if (config.kind === "invalid")
      invalidConfigs.push({ repo: repo.name, path: config.path, message: config.message });
  }

  await mkdir(dirname(options.logFile), { recursive: true });
  const logFile = await open(options.logFile, "a");
  const note = (line: string) => logFile.write(`==> [${now().toISOString()}] ${line}\n`);
  try {
    await options.onEvent({
      type: "hooks.run.started",
      data: {
        runId,
        bootId: options.bootId,
        forced: options.forced,
        startedAt: startedAt.toISOString(),
        hooks: planned.flatMap(({ repo, hooks }) =>
          hooks.map((hook) => ({ repo: repo.name, name: hook.name, timeoutMs: hook.timeoutMs })),
        ),
        invalidConfigs,
      },
    });
    await note(`start hooks run ${runId}${options.forced ? " (forced)" : ""}`);
    for (const invalid of invalidConfigs)
      await note(`${invalid.repo}: ${invalid.path} ignored: ${invalid.message}`);

    for (const { repo, hooks } of planned) {
      let chainBroken = false;
      for (const hook of hooks) {
        // Stopped: the run is left open; the next boot records it interrupted.
        if (options.signal?.aborted) return { runId };
        const ref = { runId, repo: repo.name, name: hook.name };
        if (chainBroken) {
          await options.onEvent({
            type: "hooks.hook.skipped",
            data: { ...ref, reason: "earlier_hook_failed" },
          });
          await note(`${repo.name} / ${hook.name}: skipped, an earlier hook did not complete`);
          continue;
        }
        const hookStart = now();
        await options.onEvent({
          type: "hooks.hook.started",
          data: { ...ref, startedAt: hookStart.toISOString() },
        });
        await note(`${repo.name} / ${hook.name}: started (timeout ${hook.timeoutMs} ms)`);
        const outcome = await runHook(hook, {
          cwd: repo.path,
          env,
          logFd: logFile.fd,
          killGraceMs: options.killGraceMs ?? 5000,
          signal: options.signal,
        });
        const finishedAt = now();
        const finished = {
          finishedAt: finishedAt.toISOString(),
          durationMs: finishedAt.getTime() - hookStart.getTime(),
        };
        if (outcome.kind === "completed") {
          await options.onEvent({
            type: "hooks.hook.completed",
            data: { ...ref, ...finished, exitCode: 0 },
          });
          await note(`${repo.name} / ${hook.name}: completed in ${finished.durationMs} ms`);
          continue;
        }
        chainBroken = true;
        if (outcome.kind === "timed_out") {
          await options.onEvent({
            type: "hooks.hook.timed_out",
            data: { ...ref, ...finished, timeoutMs: hook.timeoutMs },
          });
          await note(`${repo.name} / ${hook.name}: timed out after ${hook.timeoutMs} ms, killed`);
          continue;
        }
        const { exitCode, signal, error } = outcome;
        await options.onEvent({
          type: "hooks.hook.failed",
          data: { ...ref, ...finished, exitCode, signal, error },
        });
        await note(
          `${repo.name} / ${hook.name}: failed (${error ?? (signal ? `signal ${signal}` : `exit ${exitCode}`)})`,
        );
      }
    }

    if (options.signal?.aborted) return { runId };
    const finishedAt = now();
    await options.onEvent({
      type: "hooks.run.completed",
      data: {
        runId,
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - startedAt.getTime(),
      },
    });
    await note(`start hooks run ${runId} completed`);
  } finally {
    await logFile.close();
  }
  return { runId };
}

import type { HooksStatus } from "../../../../projections/hooks-status.js";
import type { TokenRefreshHealth } from "../../../upstream/credentials/token-refresh.js";
import { useEngine } from "../engine-context.js";
import { JsonToggle } from "../json-view.js";
import { useRefreshed } from "../live/use-follow.js";
import { PlansPanel } from "./plans-panel.js";
import { ReposPanel } from "./repos-panel.js";

/** Repos, start hooks, plans, credential refresh health and the engine's status. */
export function WorkspaceView() {
  return (
    <div class="workspace">
      <EnginePanel />
      <ReposPanel />
      <HooksPanel />
      <PlansPanel />
      <CredentialsPanel />
    </div>
  );
}

interface EngineStatus {
  position: number;
  epoch: string;
  engine: { version: string; pid: number; uptimeMs: number };
  chats: { total: number; byStatus: Record<string, number> };
  streams: { subscribers: number; maxBufferedBytes: number };
  providers: Record<string, { found: boolean; path: string | null; version: string | null }>;
}

function EnginePanel() {
  const { client } = useEngine();
  const { value, error } = useRefreshed(
    () => client.status() as Promise<EngineStatus & Record<string, unknown>>,
    (event) => !event.type.startsWith("chat.item."),
    1000,
  );
  return (
    <section class="panel" aria-label="Engine">
      <h3>Engine</h3>
      {error && <p class="error">{error}</p>}
      {value && (
        <>
          <p>
            version {value.engine.version} · pid {value.engine.pid} · up{" "}
            {Math.round(value.engine.uptimeMs / 1000)} s · position {value.position} · epoch{" "}
            <code>{value.epoch}</code>
          </p>
          <p>
            chats: {value.chats.total} (
            {Object.entries(value.chats.byStatus)
              .map(([k, n]) => `${k} ${n}`)
              .join(", ")}
            ) · streams: {value.streams.subscribers}
          </p>
          <p>
            providers:{" "}
            {Object.entries(value.providers)
              .map(([name, p]) => `${name} ${p.found ? (p.version ?? "found") : "not found"}`)
              .join(" · ")}
          </p>
          <JsonToggle value={value} label="status" />
        </>
      )}
    </section>
  );
}

/** The end of the hooks' output (GET /hooks/log), refreshed as their runs go on. */
function HooksOutput() {
  const { client } = useEngine();
  const { value, error } = useRefreshed(
    () => client.get<{ path: string; text: string; truncated: boolean }>("/hooks/log"),
    (event) => event.type.startsWith("hooks."),
    500,
  );
  if (error) return <p class="error">{error}</p>;
  if (!value) return null;
  return (
    <details class="hooks-output">
      <summary>
        Output <code>{value.path}</code>
        {value.truncated && " (its end)"}
      </summary>
      <pre class="hooks-log">{value.text || "(nothing yet)"}</pre>
    </details>
  );
}

function HooksPanel() {
  const { client } = useEngine();
  const { value, error } = useRefreshed(
    () => client.get<HooksStatus>("/hooks/status"),
    (event) => event.type.startsWith("hooks."),
    500,
  );
  return (
    <section class="panel" aria-label="Start hooks">
      <h3>Start hooks</h3>
      {error && <p class="error">{error}</p>}
      {value && (
        <>
          <p>
            {value.state}
            {value.startedAt && ` · started ${value.startedAt}`}
            {value.finishedAt && ` · finished ${value.finishedAt}`}
          </p>
          <HooksOutput />
          <ul>
            {value.hooks.map((hook) => (
              <li key={`${hook.repo}/${hook.name}`}>
                <code>
                  {hook.repo}: {hook.name}
                </code>{" "}
                {hook.state}
                {hook.exitCode !== null && ` · exit ${hook.exitCode}`}
                {hook.signal && ` · ${hook.signal}`}
                {hook.durationMs !== null && ` · ${hook.durationMs} ms`}
                {hook.error && <span class="error"> · {hook.error}</span>}
              </li>
            ))}
            {value.invalidConfigs.map((bad) => (
              <li key={bad.path} class="error">
                {bad.repo}: {bad.path}: {bad.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function CredentialsPanel() {
  const { client } = useEngine();
  const { value, error } = useRefreshed(
    () => client.get<TokenRefreshHealth>("/token-refresh/health"),
    (event) => event.type.startsWith("credentials."),
    1000,
  );
  return (
    <section class="panel" aria-label="Credential refresh">
      <h3>Credential refresh</h3>
      {error && <p class="error">{error}</p>}
      <ul>
        {value?.credentials.map((c) => (
          <li key={c.kind}>
            <strong>{c.kind}</strong> {c.enabled ? c.state : "disabled"}
            {c.expiresAt && ` · expires ${c.expiresAt}`}
            {c.lastSuccessAt && ` · refreshed ${c.lastSuccessAt}`}
            {c.nextRefreshAt && ` · next ${c.nextRefreshAt}`}
            {c.lastError && (
              <span class="error">
                {" "}
                · {c.consecutiveFailures} failures, last: {c.lastError.message}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

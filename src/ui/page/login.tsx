import { useState } from "preact/hooks";
import { EngineClient } from "../../client/engine-client.js";
import { ErrorNote } from "./error-note.js";
import { errorText } from "./live/use-follow.js";

/**
 * Asks for the secret and checks it with one call before keeping it. The secret is typed into
 * the page, never put in a URL.
 */
export function Login({ onLogin, notice }: { onLogin: (secret: string) => void; notice?: string }) {
  const [secret, setSecret] = useState("");
  const [error, setError] = useState<string | null>(notice ?? null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await new EngineClient({ baseUrl: location.origin, secret }).status();
      onLogin(secret);
    } catch (failure) {
      setError(errorText(failure));
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <form onSubmit={submit} aria-label="Log in">
        <h1>replicas-engine</h1>
        <p>
          Paste the engine's secret (the file <code>~/.replicas/engine/secret</code>, or
          REPLICAS_ENGINE_SECRET).
        </p>
        <label>
          Secret
          <input
            type="password"
            autocomplete="off"
            value={secret}
            onInput={(e) => setSecret((e.target as HTMLInputElement).value)}
            required
          />
        </label>
        <button type="submit" disabled={busy || !secret}>
          Open
        </button>
        <ErrorNote error={error} />
      </form>
    </main>
  );
}

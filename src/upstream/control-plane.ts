/** How the engine reaches the control plane: base URL, Bearer secret, workspace id, timeout. */
export interface ControlPlane {
  baseUrl: string;
  secret: string;
  workspaceId: string;
  timeoutMs: number;
}

export type ControlPlaneResult =
  | { ok: true; status: number; body: unknown }
  | { ok: false; status: number | null; message: string };

/**
 * POSTs a JSON body to `path` under the control plane's base URL. Every failure (HTTP status,
 * network error, timeout, stop, unreadable answer) comes back as a result whose message holds no
 * secret: response bodies are never quoted, only their status.
 */
export async function postToControlPlane(
  controlPlane: ControlPlane,
  path: string,
  body: string,
  stopSignal: AbortSignal,
): Promise<ControlPlaneResult> {
  const timeout = AbortSignal.timeout(controlPlane.timeoutMs);
  const signal = AbortSignal.any([timeout, stopSignal]);
  try {
    const response = await fetch(`${controlPlane.baseUrl.replace(/\/+$/, "")}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${controlPlane.secret}`,
        "x-workspace-id": controlPlane.workspaceId,
        "content-type": "application/json",
        accept: "application/json",
      },
      body,
      signal,
    });
    const text = await response.text();
    if (!response.ok) {
      return { ok: false, status: response.status, message: `HTTP ${response.status}` };
    }
    if (text.trim() === "") return { ok: true, status: response.status, body: null };
    try {
      return { ok: true, status: response.status, body: JSON.parse(text) };
    } catch {
      return { ok: false, status: response.status, message: "response is not valid JSON" };
    }
  } catch (error) {
    if (stopSignal.aborted) return { ok: false, status: null, message: "stopped" };
    if (timeout.aborted) {
      return { ok: false, status: null, message: `timed out after ${controlPlane.timeoutMs} ms` };
    }
    return { ok: false, status: null, message: networkMessage(error) };
  }
}

/** fetch says "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND, ...) is in the cause. */
function networkMessage(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code =
    cause && typeof cause === "object" && "code" in cause && typeof cause.code === "string"
      ? cause.code
      : null;
  return code ? `network error: ${code}` : "network error";
}

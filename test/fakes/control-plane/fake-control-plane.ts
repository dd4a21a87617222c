import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type CredentialKindName,
  credentialRoutes,
  type IssuedCredential,
  issueCredential,
} from "./issued-credentials.js";

export const webhookRoute = "/v1/engine/webhook";

/** How the fake answers one request. Default: a success. */
export type FakeAnswer =
  | { kind: "ok" }
  | { kind: "status"; status: number; body?: string }
  /** Answers normally after `ms` (or never, if the client gives up first). */
  | { kind: "delay"; ms: number }
  /** Reads the request and never answers until the client goes away. */
  | { kind: "hang" };

export interface ReceivedRequest {
  path: string;
  authorization: string | undefined;
  workspaceId: string | undefined;
  body: unknown;
  /** Arrival time, epoch ms. */
  at: number;
  /** Size of the request body in bytes. */
  bytes: number;
  /** Status the fake answered, null if the client went away first. */
  answeredStatus: number | null;
}

/** An event as the webhook posts it: the log's own envelope. */
export interface WebhookEventReceived {
  position: number;
  eventId: string;
  stream: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  recordedAt: string;
}

export interface FakeControlPlaneOptions {
  secret: string;
  workspaceId: string;
  /** Lifetime of the credentials the refresh routes hand out. Default one hour. */
  credentialLifetimeMs?: number;
}

export interface FakeControlPlane {
  /** Base URL for MONOLITH_URL. */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Events of every webhook batch answered 2xx, in arrival order (duplicates kept). */
  readonly acceptedEvents: WebhookEventReceived[];
  /** Every secret handed out by a refresh route, to search for leaks. */
  readonly issuedSecrets: string[];
  /** The credential each kind's route handed out last. */
  lastIssued(kind: CredentialKindName): IssuedCredential | undefined;
  /** Answers the next requests to `route` in order, then falls back to the default. */
  enqueue(route: string, ...answers: FakeAnswer[]): void;
  /** The answer when the queue of `route` is empty. */
  setDefault(route: string, answer: FakeAnswer): void;
  /** Changes the Bearer secret it accepts (requests with another one get a 401). */
  acceptSecret(secret: string): void;
  setCredentialLifetime(ms: number): void;
  /** Resolves once `count` requests to `route` have arrived. */
  waitForRequests(route: string, count: number, timeoutMs?: number): Promise<void>;
  /** Resolves once `count` webhook events were accepted. */
  waitForAcceptedEvents(count: number, timeoutMs?: number): Promise<void>;
  /** Closes the listening socket and every connection: clients see ECONNREFUSED. */
  goDown(): Promise<void>;
  /** Listens again on the same port. */
  comeBack(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A control plane on 127.0.0.1 speaking the engine's upstream protocol (docs/upstream.md):
 * it checks the Bearer secret and X-Workspace-Id of every call, records webhook batches and
 * hands out fresh credentials of each kind, with answers scripted per route.
 */
export async function startFakeControlPlane(
  options: FakeControlPlaneOptions,
): Promise<FakeControlPlane> {
  let acceptedSecret = options.secret;
  let lifetimeMs = options.credentialLifetimeMs ?? 3_600_000;
  const requests: ReceivedRequest[] = [];
  const acceptedEvents: WebhookEventReceived[] = [];
  const issuedSecrets: string[] = [];
  const lastIssued = new Map<CredentialKindName, IssuedCredential>();
  const queues = new Map<string, FakeAnswer[]>();
  const defaults = new Map<string, FakeAnswer>();
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = request.url ?? "/";
    const raw = Buffer.concat(chunks);
    const text = raw.toString("utf8");
    const received: ReceivedRequest = {
      path,
      authorization: request.headers.authorization,
      workspaceId: header(request, "x-workspace-id"),
      body: parseJson(text),
      at: Date.now(),
      bytes: raw.length,
      answeredStatus: null,
    };
    requests.push(received);
    notify();
    const answer = queues.get(path)?.shift() ?? defaults.get(path) ?? { kind: "ok" };
    if (answer.kind === "hang") return;
    if (answer.kind === "delay") {
      await new Promise((resolve) => setTimeout(resolve, answer.ms));
      if (response.destroyed || request.socket.destroyed) return;
    }
    const send = (status: number, body: unknown) => {
      received.answeredStatus = status;
      response.writeHead(status, { "content-type": "application/json" });
      response.end(typeof body === "string" ? body : JSON.stringify(body));
      notify();
    };
    if (answer.kind === "status") {
      send(answer.status, answer.body ?? { error: { code: "fake", message: "scripted" } });
      return;
    }
    if (request.method !== "POST") return send(405, { error: { code: "method" } });
    if (received.authorization !== `Bearer ${acceptedSecret}`) {
      return send(401, { error: { code: "unauthorized" } });
    }
    if (received.workspaceId !== options.workspaceId) {
      return send(403, { error: { code: "wrong_workspace" } });
    }
    if (path === webhookRoute) {
      const events = webhookEvents(received.body, options.workspaceId);
      if (!events) return send(400, { error: { code: "bad_batch" } });
      acceptedEvents.push(...events);
      return send(200, { received: events.length });
    }
    const kind = credentialKindOf(path);
    if (!kind) return send(404, { error: { code: "not_found" } });
    const issued = issueCredential(kind, Date.now() + lifetimeMs);
    issuedSecrets.push(...issued.secrets);
    lastIssued.set(kind, issued);
    send(200, issued.body);
  }

  async function listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    return (server.address() as AddressInfo).port;
  }

  async function shutDown(): Promise<void> {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  function waitFor(done: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`fake control plane: timed out waiting for ${what}`));
      }, timeoutMs);
      waiters.add(check);
    });
  }

  const port = await listen(0);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    acceptedEvents,
    issuedSecrets,
    lastIssued: (kind) => lastIssued.get(kind),
    enqueue(route, ...answers) {
      queues.set(route, [...(queues.get(route) ?? []), ...answers]);
    },
    setDefault(route, answer) {
      defaults.set(route, answer);
    },
    acceptSecret(secret) {
      acceptedSecret = secret;
    },
    setCredentialLifetime(ms) {
      lifetimeMs = ms;
    },
    waitForRequests(route, count, timeoutMs = 20_000) {
      const arrived = () => requests.filter((r) => r.path === route).length >= count;
      return waitFor(arrived, `${count} requests to ${route}`, timeoutMs);
    },
    waitForAcceptedEvents(count, timeoutMs = 20_000) {
      return waitFor(() => acceptedEvents.length >= count, `${count} events`, timeoutMs);
    },
    goDown: shutDown,
    async comeBack() {
      await listen(port);
    },
    close: shutDown,
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function credentialKindOf(path: string): CredentialKindName | undefined {
  const entry = Object.entries(credentialRoutes).find(([, route]) => route === path);
  return entry?.[0] as CredentialKindName | undefined;
}

/** The events of a webhook body, or undefined when it does not have the documented shape. */
function webhookEvents(body: unknown, workspaceId: string): WebhookEventReceived[] | undefined {
  if (!body || typeof body !== "object") return undefined;
  const { workspaceId: bodyWorkspace, events } = body as {
    workspaceId?: unknown;
    events?: unknown;
  };
  if (bodyWorkspace !== workspaceId || !Array.isArray(events) || events.length === 0) {
    return undefined;
  }
  const valid = events.every(
    (e) =>
      e &&
      typeof e === "object" &&
      typeof e.position === "number" &&
      typeof e.eventId === "string" &&
      typeof e.type === "string" &&
      typeof e.recordedAt === "string",
  );
  return valid ? (events as WebhookEventReceived[]) : undefined;
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appendToStream } from "../../src/log/append-to-stream.js";
import { consumerCheckpoints } from "../../src/log/consumer-checkpoints.js";
import type { EventLog } from "../../src/log/event-log.js";
import { readEventsBatch } from "../../src/log/read-events-batch.js";
import { encodeEventJson } from "../../src/log/stored-event.js";
import type { BackoffPolicy } from "../../src/upstream/backoff.js";
import { type Scheduler, unrefScheduler } from "../../src/upstream/scheduler.js";
import type { UpstreamLogger } from "../../src/upstream/upstream-logger.js";
import { logWebhookSource } from "../../src/upstream/webhook/log-webhook-source.js";
import {
  createWebhookConsumer,
  type WebhookConsumer,
  type WebhookStatus,
  webhookCheckpointName,
} from "../../src/upstream/webhook/webhook-consumer.js";
import {
  type FakeControlPlane,
  startFakeControlPlane,
  webhookRoute,
} from "../fakes/control-plane/fake-control-plane.js";
import { openTestLog } from "../support/open-test-log.js";
import {
  appendChatEvents,
  chatId,
  chatStream,
  loggedEvents,
  recordInLog,
} from "./upstream-test-log.js";

const secret = "engine-secret-0123456789abcdef";
const workspaceId = "ws-test-1";
const retry: BackoffPolicy = { baseMs: 20, maxMs: 160 };

let dir: string;
let fake: FakeControlPlane;
let log: EventLog;
let logLines: string[];
const consumers: WebhookConsumer[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "webhook-"));
  fake = await startFakeControlPlane({ secret, workspaceId });
  log = openTestLog(dir);
  logLines = [];
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
  await fake.close();
  log.close();
  rmSync(dir, { recursive: true, force: true });
});

const captureLogger: UpstreamLogger = {
  info: (fields, message) => logLines.push(`info ${message} ${JSON.stringify(fields)}`),
  warn: (fields, message) => logLines.push(`warn ${message} ${JSON.stringify(fields)}`),
};

function startConsumer(
  overrides: Partial<{
    timeoutMs: number;
    scheduler: Scheduler;
    random: () => number;
    maxEvents: number;
    maxBytes: number;
  }> = {},
): WebhookConsumer {
  const consumer = createWebhookConsumer({
    controlPlane: {
      baseUrl: fake.url,
      secret,
      workspaceId,
      timeoutMs: overrides.timeoutMs ?? 5000,
    },
    source: logWebhookSource(log),
    checkpoints: consumerCheckpoints(log.db),
    record: recordInLog(log),
    logger: captureLogger,
    limits: { maxEvents: overrides.maxEvents ?? 50, maxBytes: overrides.maxBytes ?? 64 * 1024 },
    retry,
    scheduler: overrides.scheduler ?? unrefScheduler,
    random: overrides.random ?? Math.random,
  });
  consumers.push(consumer);
  consumer.start();
  return consumer;
}

function checkpoint(): number {
  return consumerCheckpoints(log.db).load(webhookCheckpointName);
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every event of the log reached the control plane, first copies in log order. */
function expectEverythingDelivered(): void {
  const firstCopies = new Map<string, number>();
  for (const event of fake.acceptedEvents) {
    if (!firstCopies.has(event.eventId)) firstCopies.set(event.eventId, event.position);
  }
  const all = loggedEvents(log);
  expect([...firstCopies.keys()]).toEqual(all.map((e) => e.eventId));
  // Duplicates are whole copies of the same event: same id, same position, same type.
  const byId = new Map(all.map((e) => [e.eventId, e]));
  for (const event of fake.acceptedEvents) {
    expect(event.position).toBe(byId.get(event.eventId)?.position);
    expect(event.type).toBe(byId.get(event.eventId)?.type);
  }
}

function dataOf(type: string): Record<string, unknown> {
  const event = loggedEvents(log).find((e) => e.type === type);
  if (!event) throw new Error(`no ${type} event in the log`);
  return event.data as Record<string, unknown>;
}

function webhookEventsInLog(): string[] {
  return loggedEvents(log)
    .filter((e) => e.type.startsWith("webhook."))
    .map((e) => e.type);
}

describe("webhook consumer against a fake control plane", () => {
  it("delivers every event in log order, in batches bounded by count and bytes", async () => {
    appendChatEvents(log, 400);
    const consumer = startConsumer({ maxEvents: 50, maxBytes: 8 * 1024 });
    // More events commit while delivery runs.
    for (let round = 0; round < 10; round++) {
      appendChatEvents(log, 20);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await fake.waitForAcceptedEvents(600);
    await until(() => consumer.status().state === "idle", "idle");

    expect(fake.acceptedEvents.map((e) => e.position)).toEqual(
      loggedEvents(log).map((e) => e.position),
    );
    expectEverythingDelivered();
    const batches = fake.requests.filter((r) => r.path === webhookRoute);
    expect(batches.length).toBeGreaterThanOrEqual(600 / 50);
    for (const batch of batches) {
      expect(batch.bytes).toBeLessThanOrEqual(8 * 1024);
      expect((batch.body as { events: unknown[] }).events.length).toBeLessThanOrEqual(50);
      expect(batch.authorization).toBe(`Bearer ${secret}`);
      expect(batch.workspaceId).toBe(workspaceId);
      expect((batch.body as { workspaceId: string }).workspaceId).toBe(workspaceId);
    }
    const status = consumer.status();
    expect(status).toMatchObject({ position: 600, lastPosition: 600, lag: 0, lastError: null });
    expect(checkpoint()).toBe(600);
    expect(webhookEventsInLog()).toEqual([]);
  });

  it("posts each event as the log encodes it for SSE, byte for byte", async () => {
    appendChatEvents(log, 5);
    startConsumer({ maxEvents: 50 });
    await fake.waitForAcceptedEvents(5);
    const [batch] = fake.requests.filter((r) => r.path === webhookRoute);
    const sse = readEventsBatch(log.db, { after: 0, limit: 5 }).map((row) =>
      encodeEventJson(log.catalogue, row),
    );
    const body = `{"workspaceId":${JSON.stringify(workspaceId)},"events":[${sse.join(",")}]}`;
    expect(batch?.body).toEqual(JSON.parse(body));
    expect(batch?.bytes).toBe(Buffer.byteLength(body));
    // The same bytes as the decoded envelope written out field by field.
    expect(sse).toEqual(loggedEvents(log).map((event) => JSON.stringify(event)));
  });

  it("sends an event larger than the byte limit alone instead of getting stuck", async () => {
    appendChatEvents(log, 1);
    const huge = appendToStream(log, chatStream, [
      {
        type: "chat.item.added",
        data: {
          chatId,
          turnId: "t1",
          itemId: "i1",
          item: { type: "assistant_text", text: "y".repeat(20_000) },
        },
      },
    ]);
    expect(huge.ok).toBe(true);
    appendChatEvents(log, 1);
    startConsumer({ maxBytes: 4096 });
    await fake.waitForAcceptedEvents(3);
    const sizes = fake.requests.map((r) => (r.body as { events: unknown[] }).events.length);
    expect(sizes).toEqual([1, 1, 1]);
    expectEverythingDelivered();
  });

  it("loses nothing while the control plane is down for a while, and records one failure and one recovery", async () => {
    appendChatEvents(log, 30);
    const consumer = startConsumer({ maxEvents: 10 });
    await fake.waitForAcceptedEvents(30);

    await fake.goDown();
    appendChatEvents(log, 25);
    await until(() => consumer.status().consecutiveFailures >= 4, "four failed attempts");
    const down: WebhookStatus = consumer.status();
    expect(down.state).toBe("retrying");
    expect(down.position).toBe(30);
    expect(down.lag).toBeGreaterThanOrEqual(25);
    expect(down.lastError?.message).toBe("network error: ECONNREFUSED");
    expect(down.failingSince).not.toBeNull();
    expect(Date.parse(down.nextRetryAt ?? "")).toBeGreaterThan(
      Date.parse(down.lastError?.at ?? ""),
    );

    // Back, but answering 503 for a few more attempts.
    fake.enqueue(webhookRoute, ...Array(3).fill({ kind: "status", status: 503 }));
    await fake.comeBack();
    appendChatEvents(log, 5);
    await until(() => consumer.status().lag === 0 && consumer.status().state === "idle", "lag 0");

    // The failure and recovery events were delivered too, and there is one of each.
    expect(webhookEventsInLog()).toEqual(["webhook.delivery.failed", "webhook.delivery.recovered"]);
    expectEverythingDelivered();
    // The first attempt may hit the keep-alive socket the shutdown closed, later ones a refusal.
    expect(dataOf("webhook.delivery.failed").error).toMatch(
      /^network error: (ECONNREFUSED|UND_ERR_SOCKET)$/,
    );
    expect(dataOf("webhook.delivery.recovered").failedAttempts).toBeGreaterThanOrEqual(7);
    expect(consumer.status().consecutiveFailures).toBe(0);
  });

  it("keeps retrying a 401 with a capped backoff, then delivers once the secret is accepted", async () => {
    fake.acceptSecret("the-control-plane-expects-another-secret");
    const delays: number[] = [];
    const recordingScheduler: Scheduler = {
      now: unrefScheduler.now,
      after(ms, task) {
        delays.push(ms);
        return unrefScheduler.after(ms, task);
      },
    };
    appendChatEvents(log, 5);
    const consumer = startConsumer({ scheduler: recordingScheduler, random: () => 1 });
    await until(() => consumer.status().consecutiveFailures >= 7, "seven 401s");

    // random 1 gives the full step: 20, 40, 80, 160 and then the 160 cap.
    expect(delays.slice(0, 7)).toEqual([20, 40, 80, 160, 160, 160, 160]);
    expect(consumer.status().lastError).toMatchObject({ status: 401, message: "HTTP 401" });
    expect(logLines.some((l) => l.includes("refused REPLICAS_ENGINE_SECRET"))).toBe(true);

    fake.acceptSecret(secret);
    await until(() => consumer.status().lag === 0 && consumer.status().state === "idle", "lag 0");
    expectEverythingDelivered();
    expect(webhookEventsInLog()).toEqual(["webhook.delivery.failed", "webhook.delivery.recovered"]);
    expect(dataOf("webhook.delivery.failed")).toMatchObject({
      status: 401,
      fromPosition: 1,
      toPosition: 5,
    });
    const everything = JSON.stringify([logLines, loggedEvents(log), consumer.status()]);
    expect(everything).not.toContain(secret);
  });

  it("times out a slow control plane and delivers when it answers in time again", async () => {
    fake.setDefault(webhookRoute, { kind: "delay", ms: 5_000 });
    appendChatEvents(log, 8);
    const consumer = startConsumer({ timeoutMs: 300 });
    await until(() => consumer.status().consecutiveFailures >= 2, "two timeouts");
    expect(consumer.status().lastError?.message).toBe("timed out after 300 ms");
    expect(fake.acceptedEvents).toEqual([]);

    fake.setDefault(webhookRoute, { kind: "ok" });
    await until(() => consumer.status().lag === 0 && consumer.status().state === "idle", "lag 0");
    expectEverythingDelivered();
  });

  it("stopped mid-delivery, a new consumer on the same SQLite checkpoint delivers everything", async () => {
    appendChatEvents(log, 120);
    // The second batch reaches the control plane but its answer never comes back.
    fake.enqueue(webhookRoute, { kind: "ok" }, { kind: "hang" });
    const first = startConsumer({ maxEvents: 40 });
    await fake.waitForRequests(webhookRoute, 2);
    const inFlight = fake.requests[1]?.body as { events: { eventId: string }[] };
    expect(first.status().state).toBe("delivering");
    await first.stop();
    expect(first.status().state).toBe("stopped");
    expect(checkpoint()).toBe(40);
    log.close();

    // A "restarted engine": the same database file opened again, and a new consumer.
    log = openTestLog(dir);
    appendChatEvents(log, 30);
    startConsumer({ maxEvents: 40 });
    await until(() => fake.acceptedEvents.length >= 150, "all events");
    await until(() => checkpoint() === 150, "checkpoint 150");
    expectEverythingDelivered();
    // The batch that was in flight at the stop arrived again, with the same event ids.
    const accepted = new Set(fake.acceptedEvents.map((e) => e.eventId));
    for (const event of inFlight.events) expect(accepted.has(event.eventId)).toBe(true);
  });

  it("retries a failing log read without recording it, and survives a log that refuses events", async () => {
    appendChatEvents(log, 12);
    let failingReads = 2;
    const source = logWebhookSource(log);
    const flakySource = {
      ...source,
      readAfter(position: number, limit: number) {
        if (failingReads > 0) {
          failingReads -= 1;
          throw new Error("database is locked");
        }
        return source.readAfter(position, limit);
      },
    };
    const consumer = createWebhookConsumer({
      controlPlane: { baseUrl: fake.url, secret, workspaceId, timeoutMs: 5000 },
      source: flakySource,
      checkpoints: consumerCheckpoints(log.db),
      record: () => {
        throw new Error("log closed");
      },
      logger: captureLogger,
      limits: { maxEvents: 5, maxBytes: 64 * 1024 },
      retry,
      scheduler: unrefScheduler,
      random: () => 1,
    });
    consumers.push(consumer);
    consumer.start();
    await until(() => consumer.status().lag === 0 && consumer.status().state === "idle", "lag 0");
    expectEverythingDelivered();
    expect(consumer.status().lastError?.message).toBe("event log error: Error");
    expect(logLines.filter((l) => l.includes("event log error"))).toHaveLength(2);
    // The recovery could not be recorded: said in the logs, delivery went on.
    expect(logLines.some((l) => l.includes("could not record event"))).toBe(true);
  });

  it("stop() ends a retry wait at once and its timers never hold the process open", async () => {
    await fake.goDown();
    appendChatEvents(log, 3);
    const timersBefore = countTimers();
    const consumer = startConsumer({ random: () => 1 });
    await until(() => consumer.status().state === "retrying", "retrying");
    // Only unref'd timers are pending: node would exit now.
    expect(countTimers()).toBeLessThanOrEqual(timersBefore);
    await consumer.stop();
    expect(consumer.status()).toMatchObject({ state: "stopped", nextRetryAt: null });
    const requestsAtStop = fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.requests.length).toBe(requestsAtStop);
  });
});

function countTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
}

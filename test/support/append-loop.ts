import { randomInt } from "node:crypto";
import { projections } from "../../projections/all.js";
import type { NewEvent } from "../../src/events/catalogue.js";
import { appendToStream } from "../../src/log/append-to-stream.js";
import { readStreamVersion } from "../../src/log/read-stream.js";
import { catchUpReadModels } from "../../src/read-models/catch-up.js";
import { openEngineLog } from "../../src/read-models/open-engine-log.js";

/**
 * A child process for the crash-safety test: appends realistic chat batches to the log at
 * argv[2] forever, printing "<position> <eventId>" after each commit, until it is killed.
 */
const opened = openEngineLog({ path: process.argv[2] ?? "", projections });
if (!opened.ok) throw new Error(opened.message);
const log = opened.log;
catchUpReadModels(log);

function batchFor(chatId: string, step: number): NewEvent[] {
  const turnId = `${chatId}-t${step}`;
  const messageId = `${chatId}-m${step}`;
  const deltas: NewEvent[] = Array.from({ length: randomInt(1, 20) }, (_, i) => ({
    type: "chat.item.delta",
    data: { chatId, turnId, itemId: `${turnId}-i`, kind: "assistant_text", text: `chunk ${i} ` },
  }));
  return [
    {
      type: "chat.message.queued",
      data: { chatId, messageId, text: `message ${step}`, settings: {} },
    },
    {
      type: "chat.turn.started",
      data: {
        chatId,
        turnId,
        messageId,
        text: `message ${step}`,
        settings: {},
        resumeSessionId: null,
      },
    },
    ...deltas,
    {
      type: "chat.item.added",
      data: {
        chatId,
        turnId,
        itemId: `${turnId}-i`,
        item: { type: "assistant_text", text: "done" },
      },
    },
    {
      type: "chat.turn.completed",
      data: { chatId, turnId, messageId, durationMs: 5, usage: null, costUsd: null },
    },
  ];
}

for (let round = 0; ; round++) {
  const chatId = `c${process.pid}-${round % 7}`;
  const stream = `chat:${chatId}`;
  const version = readStreamVersion(log, stream);
  const batch: NewEvent[] =
    version === 0
      ? [
          {
            type: "chat.created",
            data: { chatId, provider: "claude", title: null, cwd: "/w", settings: {} },
          },
        ]
      : randomInt(0, 40) === 0
        ? [{ type: "chat.deleted", data: { chatId } }]
        : batchFor(chatId, version);
  const result = appendToStream(log, stream, batch, { expectedVersion: version });
  if (!result.ok) continue; // a deleted chat stays deleted; pick another round
  const last = result.events.at(-1);
  if (last) process.stdout.write(`${last.position} ${last.eventId}\n`);
}

import { describe, expect, it } from "vitest";
import type { EngineEvent, NewEvent } from "../src/events/catalogue.js";
import { recorded } from "../test/support/recorded-events.js";
import {
  chatHistoryProjection,
  type HistoryEntry,
  resolveEntry,
  streamedText,
  withStreamedText,
} from "./chat-history.js";
import { applyEvent, type FoldedDocument, foldEvents } from "./fold.js";
import type { Projection } from "./projection.js";

const turn: NewEvent = {
  type: "chat.turn.started",
  data: {
    chatId: "c1",
    turnId: "t1",
    messageId: "m1",
    text: "do it",
    settings: {},
    resumeSessionId: null,
  },
};
const ATTACHMENT = { id: "a1", mediaType: "image/png", size: 3, name: "x.png", path: "/w/x.png" };
const delta = (text: string, itemId = "i1"): NewEvent => ({
  type: "chat.item.delta",
  data: { chatId: "c1", turnId: "t1", itemId, kind: "assistant_text", text },
});
const added = (itemId: string, text: string): NewEvent => ({
  type: "chat.item.added",
  data: { chatId: "c1", turnId: "t1", itemId, item: { type: "assistant_text", text } },
});

/** The log as a reader of streams: what `streamedText` reads a streaming item's deltas from. */
const streamsOf = (log: readonly EngineEvent[]) => ({
  streamEvents: (stream: string, fromVersion: number, throughPosition: number) =>
    log.filter(
      (e) => e.stream === stream && e.streamVersion >= fromVersion && e.position <= throughPosition,
    ),
});

/**
 * The chat's entries as readers see them: a final item read from the event its document refers
 * to, a streaming entry's text read from its deltas in the log.
 */
function history(events: NewEvent[], log = recorded(events)): HistoryEntry[] {
  return [...foldEvents(chatHistoryProjection, log).values()]
    .sort((a, b) => a.firstPosition - b.firstPosition)
    .map((d) => {
      const entry = resolveEntry(d.data, (position) => log[position - 1]);
      return "deltasFrom" in d.data
        ? withStreamedText(entry, streamedText(streamsOf(log), d.data, d.lastPosition))
        : entry;
    });
}

describe("chat history projection", () => {
  it("given a started turn, the user's message is the first item", () => {
    expect(history([turn])).toEqual([
      {
        itemId: "m1",
        turnId: "t1",
        status: "final",
        item: { type: "user_message", text: "do it" },
        recordedAt: "2026-01-01T00:00:01.000Z",
      },
    ]);
  });

  it("deltas build a streaming item that the final item replaces", () => {
    const streaming = history([turn, delta("Hel"), delta("lo")]);
    expect(streaming[1]).toMatchObject({
      status: "streaming",
      item: { type: "assistant_text", text: "Hello" },
    });
    const final = history([turn, delta("Hel"), delta("lo"), added("i1", "Hello!")]);
    expect(final[1]).toMatchObject({
      status: "final",
      item: { type: "assistant_text", text: "Hello!" },
    });
    expect(final).toHaveLength(2);
  });

  it("given a final item, its document holds the position of the event that carries it, not a copy", () => {
    const log = recorded([turn, delta("Hel"), added("i1", "Hello!")]);
    const docs = foldEvents(chatHistoryProjection, log);
    expect(docs.get("c1/m1")?.data).toEqual({
      itemId: "m1",
      turnId: "t1",
      status: "final",
      itemAt: 1,
      recordedAt: "2026-01-01T00:00:01.000Z",
    });
    // It keeps the time its first delta was recorded, and names the chat.item.added.
    expect(docs.get("c1/i1")?.data).toEqual({
      itemId: "i1",
      turnId: "t1",
      status: "final",
      itemAt: 3,
      recordedAt: "2026-01-01T00:00:02.000Z",
    });
  });

  it("when resolved, an entry has the wire shape: the item in its place, no reference", () => {
    const log = recorded([turn, added("i1", "Hello!")]);
    const doc = foldEvents(chatHistoryProjection, log).get("c1/i1")?.data;
    if (!doc) throw new Error("no document for i1");
    const entry = resolveEntry(doc, (position) => log[position - 1]);
    expect(JSON.stringify(entry)).toBe(
      JSON.stringify({
        itemId: "i1",
        turnId: "t1",
        status: "final",
        item: { type: "assistant_text", text: "Hello!" },
        recordedAt: "2026-01-01T00:00:02.000Z",
      }),
    );
  });

  it("a reference to a position that holds no history item is an error naming both", () => {
    const log = recorded([turn, added("i1", "Hello!")]);
    const doc = foldEvents(chatHistoryProjection, log).get("c1/i1")?.data;
    if (!doc) throw new Error("no document for i1");
    expect(() => resolveEntry(doc, () => undefined)).toThrow(/i1 refers to position 2/);
  });

  it("given an attachment on the user's message, the resolved entry carries it", () => {
    const withFile = { ...turn, data: { ...turn.data, attachments: [ATTACHMENT] } } as NewEvent;
    expect(history([withFile])[0]?.item).toEqual({
      type: "user_message",
      text: "do it",
      attachments: [ATTACHMENT],
    });
  });

  it("a late delta does not reopen a final item", () => {
    const entries = history([turn, added("i1", "done"), delta("late")]);
    expect(entries[1]).toMatchObject({ status: "final", item: { text: "done" } });
  });

  it("items keep the order in which they first appeared", () => {
    const entries = history([
      turn,
      delta("a", "i1"),
      {
        type: "chat.item.added",
        data: {
          chatId: "c1",
          turnId: "t1",
          itemId: "i2",
          item: { type: "tool_call", callId: "x", name: "Bash", input: { command: "ls" } },
        },
      },
      added("i1", "a!"),
    ]);
    expect(entries.map((e) => e.itemId)).toEqual(["m1", "i1", "i2"]);
  });

  it("deleting the chat drops all of its items and no other chat's", () => {
    const other: NewEvent = {
      type: "chat.turn.started",
      data: {
        chatId: "c2",
        turnId: "t9",
        messageId: "m9",
        text: "x",
        settings: {},
        resumeSessionId: null,
      },
    };
    const docs = foldEvents(
      chatHistoryProjection,
      recorded([turn, added("i1", "a"), other, { type: "chat.deleted", data: { chatId: "c1" } }]),
    );
    expect([...docs.keys()]).toEqual(["c2/m9"]);
  });

  it("a streamed item writes no text: its entry's document stays the same size however long it streams", () => {
    const chunk = "x".repeat(1_000);
    const written = (deltas: number) => {
      const sizes: number[] = [];
      const docs = new Map<string, FoldedDocument<unknown>>();
      for (const event of recorded([turn, ...Array.from({ length: deltas }, () => delta(chunk))])) {
        applyEvent(
          chatHistoryProjection as Projection<unknown>,
          (id) => docs.get(id),
          (id, doc) => {
            if (doc) docs.set(id, doc);
            if (id === "c1/i1") sizes.push(JSON.stringify(doc?.data).length);
          },
          event,
          () => {},
        );
      }
      return sizes;
    };
    const sizes = written(400);
    expect(new Set(sizes).size).toBe(1);
    expect(sizes[0]).toBeLessThan(chunk.length / 4);
    expect(history([turn, ...Array.from({ length: 400 }, () => delta(chunk))])[1]?.item).toEqual({
      type: "assistant_text",
      text: chunk.repeat(400),
    });
  });

  it("given a streaming item, its document names where its deltas start in their stream", () => {
    const log = recorded([turn, delta("a"), delta("b")]);
    const doc = foldEvents(chatHistoryProjection, log).get("c1/i1");
    expect(doc?.data).toMatchObject({ deltasFrom: { stream: "chat:c1", version: 2 } });
    expect(doc?.lastPosition).toBe(3);
  });

  it("when items stream side by side, each entry's text is its own deltas, up to the last one folded", () => {
    const events = [turn, delta("a", "i1"), delta("B", "i2"), delta("b", "i1"), delta("C", "i2")];
    expect(history(events).map((e) => ("text" in e.item ? e.item.text : null))).toEqual([
      "do it",
      "ab",
      "BC",
    ]);
    // A delta the document has not folded yet (past its last position) is not part of its text.
    const log = recorded(events);
    const early = foldEvents(chatHistoryProjection, log.slice(0, 3));
    const i1 = early.get("c1/i1");
    if (!i1 || !("deltasFrom" in i1.data)) throw new Error("i1 is not streaming");
    expect(streamedText(streamsOf(log), i1.data, i1.lastPosition)).toEqual(["a"]);
  });

  it("when resolved, a streaming entry has the wire shape: no reference to its deltas", () => {
    const log = recorded([turn, delta("Hel")]);
    const doc = foldEvents(chatHistoryProjection, log).get("c1/i1")?.data;
    if (!doc) throw new Error("no document for i1");
    expect(Object.keys(resolveEntry(doc, () => undefined))).toEqual([
      "itemId",
      "turnId",
      "status",
      "item",
      "recordedAt",
    ]);
  });
});

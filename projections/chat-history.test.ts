import { describe, expect, it } from "vitest";
import type { NewEvent } from "../src/events/catalogue.js";
import { recorded } from "../test/support/recorded-events.js";
import {
  chatHistoryProjection,
  type HistoryEntry,
  resolveEntry,
  streamedTextGroup,
  streamedTextProjection,
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

/**
 * The chat's entries as readers see them: a final item read from the event its document refers
 * to, a streaming entry's text being its chunks.
 */
function history(events: NewEvent[]): HistoryEntry[] {
  const log = recorded(events);
  const chunks = [...foldEvents(streamedTextProjection, log).values()];
  return [...foldEvents(chatHistoryProjection, log).values()]
    .sort((a, b) => a.firstPosition - b.firstPosition)
    .map((d) =>
      withStreamedText(
        resolveEntry(d.data, (position) => log[position - 1]),
        chunks
          .filter((c) => c.group === streamedTextGroup("c1", d.data.itemId))
          .sort((a, b) => a.firstPosition - b.firstPosition)
          .map((c) => c.data.text),
      ),
    );
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

  it("a streamed item costs document writes in proportion to its length, not its length squared", () => {
    const chunk = "x".repeat(1_000);
    const written = (deltas: number) => {
      let bytes = 0;
      const events = recorded([turn, ...Array.from({ length: deltas }, () => delta(chunk))]);
      for (const p of [chatHistoryProjection, streamedTextProjection]) {
        const docs = new Map<string, FoldedDocument<unknown>>();
        for (const event of events) {
          applyEvent(
            p as Projection<unknown>,
            (id) => docs.get(id),
            (id, doc) => {
              bytes += doc ? JSON.stringify(doc.data).length : 0;
              if (doc) docs.set(id, doc);
            },
            event,
            () => {},
          );
        }
      }
      return bytes;
    };
    const streamed = 400 * chunk.length;
    // Each delta writes its own chunk and rewrites an entry of constant size.
    expect(written(400)).toBeLessThan(streamed * 1.2);
    expect(written(800) / written(400)).toBeLessThan(2.1);
    expect(history([turn, ...Array.from({ length: 400 }, () => delta(chunk))])[1]?.item).toEqual({
      type: "assistant_text",
      text: chunk.repeat(400),
    });
  });

  it("the final item replaces the chunks, and deleting the chat drops those of unfinished items", () => {
    const chunks = (events: NewEvent[]) => [
      ...foldEvents(streamedTextProjection, recorded(events)).keys(),
    ];
    expect(chunks([turn, delta("a", "i1"), delta("b", "i2")])).toEqual(["c1/i1@2", "c1/i2@3"]);
    expect(chunks([turn, delta("a", "i1"), delta("b", "i2"), added("i1", "a")])).toEqual([
      "c1/i2@3",
    ]);
    const deleted: NewEvent = { type: "chat.deleted", data: { chatId: "c1" } };
    expect(chunks([turn, delta("a", "i1"), delta("b", "i2"), deleted])).toEqual([]);
  });
});

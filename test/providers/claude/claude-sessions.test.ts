import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { conversationTexts, lastUserMessage, text, userText } from "../../fakes/anthropic/index.js";
import { recordTurn } from "../../support/turn-recorder.js";
import { type ClaudeHarness, itemsOf, sessionOf, startClaudeHarness } from "./claude-harness.js";

/** The conversation a streamed request carries, as one string. */
function lastStreamedConversation(h: ClaudeHarness): string {
  const streamed = h.fake.requests.filter((r) => r.body.stream === true);
  const last = streamed.at(-1);
  return last ? conversationTexts(last).join("\n") : "";
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Process lifetime across turns: resume, idle stop, settings changes, chats side by side. */
describe("claude adapter: sessions with the real CLI", () => {
  let h: ClaudeHarness;

  beforeAll(async () => {
    h = await startClaudeHarness();
  });
  afterAll(() => h.close());

  test("a new adapter instance resumes the session: the model sees the earlier turns", async () => {
    const cwd = await h.repo("resume");
    const first = h.provider();
    const one = recordTurn(first, h.request("chat-resume", "remember alpha-apple", cwd));
    expect((await one.ended).kind).toBe("completed");
    const sessionId = sessionOf(one.outputs);
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const pid = first.processId("chat-resume");
    const two = recordTurn(first, h.request("chat-resume", "remember beta-banana", cwd));
    expect((await two.ended).kind).toBe("completed");
    // The same warm process served both turns.
    expect(first.processId("chat-resume")).toBe(pid);
    await first.shutdown();
    expect(first.processId("chat-resume")).toBeUndefined();

    // An engine restart: a fresh adapter that only knows the session id from the event log.
    const second = h.provider();
    h.fake.enqueue(text("I remember both."));
    const three = recordTurn(
      second,
      h.request("chat-resume", "what did I ask you to remember?", cwd, {}, sessionId ?? null),
    );
    expect((await three.ended).kind).toBe("completed");
    expect(sessionOf(three.outputs)).toBe(sessionId);
    const seen = lastStreamedConversation(h);
    expect(seen).toContain("alpha-apple");
    expect(seen).toContain("beta-banana");
    expect(seen).toContain("what did I ask you to remember?");
    expect(itemsOf(three.outputs, "assistant_text").map((i) => i.text)).toEqual([
      "I remember both.",
    ]);
  });

  test("an unknown session id to resume: the turn runs in a new session, with a notice", async () => {
    const cwd = await h.repo("lost-session");
    const provider = h.provider();
    const lost = "0b6f1c3e-1111-4222-8333-944455556666";
    const turn = recordTurn(provider, h.request("chat-lost", "hello again", cwd, {}, lost));
    expect((await turn.ended).kind).toBe("completed");
    expect(itemsOf(turn.outputs, "notice").some((n) => n.message.includes(lost))).toBe(true);
    expect(sessionOf(turn.outputs)).not.toBe(lost);
  });

  test("an idle process is stopped after idleMs and the next turn resumes it", async () => {
    const cwd = await h.repo("idle");
    const provider = h.provider({ idleMs: 400 });
    const one = recordTurn(provider, h.request("chat-idle", "first-idle-turn", cwd));
    expect((await one.ended).kind).toBe("completed");
    const pid = provider.processId("chat-idle");
    expect(pid).toBeTypeOf("number");
    await waitUntil(() => provider.processId("chat-idle") === undefined, 15_000);

    h.fake.enqueue(text("Resumed after idle."));
    // As the engine does: the session id recorded from the first turn is the one to resume.
    const two = recordTurn(
      provider,
      h.request("chat-idle", "second-idle-turn", cwd, {}, sessionOf(one.outputs) ?? null),
    );
    expect((await two.ended).kind).toBe("completed");
    expect(provider.processId("chat-idle")).not.toBe(pid);
    expect(sessionOf(two.outputs)).toBe(sessionOf(one.outputs));
    expect(lastStreamedConversation(h)).toContain("first-idle-turn");
  });

  test("a changed model and permission mode apply to the live process", async () => {
    const cwd = await h.repo("settings");
    const provider = h.provider();
    const one = recordTurn(
      provider,
      h.request("chat-settings", "first", cwd, { model: "claude-first-model" }),
    );
    expect((await one.ended).kind).toBe("completed");
    const firstRequest = h.fake.requests.filter((r) => r.body.stream === true).at(-1);
    expect(firstRequest?.body.model).toBe("claude-first-model");
    const pid = provider.processId("chat-settings");

    const two = recordTurn(
      provider,
      h.request("chat-settings", "second", cwd, {
        model: "claude-second-model",
        permissionMode: "acceptEdits",
      }),
    );
    expect((await two.ended).kind).toBe("completed");
    const secondRequest = h.fake.requests.filter((r) => r.body.stream === true).at(-1);
    expect(secondRequest?.body.model).toBe("claude-second-model");
    // Applied by control messages: the same process, no restart.
    expect(provider.processId("chat-settings")).toBe(pid);
    expect(userText(secondRequest ? lastUserMessage(secondRequest) : undefined)).toContain(
      "second",
    );
  });

  test("five chats at once each get their own answer", async () => {
    const provider = h.provider();
    h.fake.setScript((request) => {
      if (request.body.stream !== true) return undefined;
      const asked = /parallel-chat-(\d)/.exec(userText(lastUserMessage(request)))?.[1];
      return asked ? text(`answer for chat ${asked}`, { chunks: 3, delayMs: 30 }) : undefined;
    });
    try {
      const turns = await Promise.all(
        [0, 1, 2, 3, 4].map(async (n) => {
          const cwd = await h.repo(`parallel-${n}`);
          return recordTurn(provider, h.request(`chat-parallel-${n}`, `parallel-chat-${n}`, cwd));
        }),
      );
      const ends = await Promise.all(turns.map((t) => t.ended));
      expect(ends.map((e) => e.kind)).toEqual([
        "completed",
        "completed",
        "completed",
        "completed",
        "completed",
      ]);
      turns.forEach((turn, n) => {
        expect(itemsOf(turn.outputs, "assistant_text").map((i) => i.text)).toEqual([
          `answer for chat ${n}`,
        ]);
      });
      const pids = new Set([0, 1, 2, 3, 4].map((n) => provider.processId(`chat-parallel-${n}`)));
      expect(pids.size).toBe(5);
    } finally {
      h.fake.setScript(undefined);
    }
  });
});

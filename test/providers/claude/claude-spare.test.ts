import { readlinkSync } from "node:fs";
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ClaudeProcess } from "../../../src/providers/claude/claude-process.js";
import type { ClaudeLine } from "../../../src/providers/claude/claude-protocol.js";
import { inMemoryGroups } from "../../../src/providers/toolkit/process-groups.js";
import { conversationTexts, text } from "../../fakes/anthropic/index.js";
import { processAlive } from "../../support/processes.js";
import { recordTurn } from "../../support/turn-recorder.js";
import { waitUntil } from "../../support/wait-until.js";
import { type ClaudeHarness, itemsOf, sessionOf, startClaudeHarness } from "./claude-harness.js";

/** The provider starts its spare on the event loop's turn after a turn's end was handled. */
async function turnEndHandled(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
}

const cwdOf = (pid: number) => readlinkSync(`/proc/${pid}/cwd`);

/** The spare `claude`: started after a new chat's first turn, taken by the next new chat. */
describe("claude adapter: the spare process, with the real CLI", () => {
  let h: ClaudeHarness;

  beforeAll(async () => {
    h = await startClaudeHarness();
  });
  afterAll(() => h.close());

  test("a new chat's first turn runs on the spare, a new spare follows, shutdown stops it", async () => {
    const cwd = await h.repo("spare");
    const provider = h.provider({ spare: true });
    expect(provider.spareProcessId()).toBeUndefined();
    const one = recordTurn(provider, h.request("chat-spare-1", "first-spare-chat", cwd));
    expect((await one.ended).kind).toBe("completed");
    await turnEndHandled();
    const spare = provider.spareProcessId();
    expect(spare).toBeTypeOf("number");
    expect(spare).not.toBe(provider.processId("chat-spare-1"));
    expect(cwdOf(spare as number)).toBe(cwd);

    h.fake.enqueue(text("Answered by the spare."));
    const two = recordTurn(provider, h.request("chat-spare-2", "second-spare-chat", cwd));
    expect((await two.ended).kind).toBe("completed");
    expect(provider.processId("chat-spare-2")).toBe(spare);
    expect(itemsOf(two.outputs, "assistant_text").map((i) => i.text)).toEqual([
      "Answered by the spare.",
    ]);
    // A session of its own: the model saw none of the first chat.
    expect(sessionOf(two.outputs)).toMatch(/^[0-9a-f-]{36}$/);
    expect(sessionOf(two.outputs)).not.toBe(sessionOf(one.outputs));
    const asked = h.fake.requests.filter((r) => r.body.stream === true).at(-1);
    const conversation = asked ? conversationTexts(asked).join("\n") : "";
    expect(conversation).toContain("second-spare-chat");
    expect(conversation).not.toContain("first-spare-chat");

    const next = await waitUntil(() => {
      const pid = provider.spareProcessId();
      return pid !== undefined && pid !== spare ? pid : undefined;
    }, "a new spare is started after the turn that took one");

    // A turn with a model takes it too: the model is set by control request, as on a live process.
    const three = recordTurn(
      provider,
      h.request("chat-spare-3", "third-spare-chat", cwd, { model: "claude-spare-model" }),
    );
    expect((await three.ended).kind).toBe("completed");
    expect(provider.processId("chat-spare-3")).toBe(next);
    const streamed = h.fake.requests.filter((r) => r.body.stream === true).at(-1);
    expect(streamed?.body.model).toBe("claude-spare-model");

    const last = await waitUntil(() => {
      const pid = provider.spareProcessId();
      return pid !== undefined && pid !== next ? pid : undefined;
    }, "a third spare is started");
    const chats = [1, 2, 3].map((n) => provider.processId(`chat-spare-${n}`) as number);
    await provider.shutdown();
    expect(provider.spareProcessId()).toBeUndefined();
    for (const pid of [last, ...chats]) expect(processAlive(pid)).toBe(false);
  });

  test("a spare in another cwd is stopped; the chat spawns its own, the next spare is in its cwd", async () => {
    const first = await h.repo("spare-here");
    const other = await h.repo("spare-there");
    const provider = h.provider({ spare: true });
    expect((await recordTurn(provider, h.request("chat-here", "hi", first)).ended).kind).toBe(
      "completed",
    );
    const spare = await waitUntil(() => provider.spareProcessId(), "a spare is started");

    const there = recordTurn(provider, h.request("chat-there", "hi there", other));
    expect((await there.ended).kind).toBe("completed");
    const own = provider.processId("chat-there");
    expect(own).toBeTypeOf("number");
    expect(own).not.toBe(spare);
    expect(cwdOf(own as number)).toBe(other);
    await waitUntil(() => !processAlive(spare), `the spare ${spare} in the other cwd exits`);
    const next = await waitUntil(() => {
      const pid = provider.spareProcessId();
      return pid !== undefined && pid !== spare ? pid : undefined;
    }, "a spare is started in the second chat's cwd");
    expect(cwdOf(next)).toBe(other);
    await provider.shutdown();
  });

  test("with the spare switched off none is started", async () => {
    const cwd = await h.repo("no-spare");
    const provider = h.provider({ spare: false });
    const one = recordTurn(provider, h.request("chat-nospare-1", "hi", cwd));
    expect((await one.ended).kind).toBe("completed");
    await turnEndHandled();
    expect(provider.spareProcessId()).toBeUndefined();
    const first = provider.processId("chat-nospare-1");
    const two = recordTurn(provider, h.request("chat-nospare-2", "hi again", cwd));
    expect((await two.ended).kind).toBe("completed");
    await turnEndHandled();
    expect(provider.spareProcessId()).toBeUndefined();
    expect(provider.processId("chat-nospare-2")).not.toBe(first);
    await provider.shutdown();
  });
});

describe("ClaudeProcess: output before a session binds it", () => {
  test("lines printed before bind are delivered to the bound handlers, in order", async () => {
    const h = await startClaudeHarness();
    try {
      const cwd = await h.repo("early-lines");
      const binary = join(cwd, "early-cli");
      await writeFile(
        binary,
        `#!/bin/sh\necho '{"type":"system","subtype":"early"}'\necho 'not json'\necho '{"type":"system","subtype":"later"}'\n`,
      );
      await chmod(binary, 0o755);
      const proc = new ClaudeProcess({
        binary,
        cwd,
        env: h.env.env,
        groups: inMemoryGroups(),
        controlTimeoutMs: 1_000,
        settings: { model: undefined, permissionMode: "bypassPermissions", resumeSessionId: null },
      });
      // `exited` resolves once every line the process wrote has been read.
      await proc.exited;
      const seen: string[] = [];
      proc.bind({
        onLine: (line: ClaudeLine) => seen.push(`line ${(line as { subtype?: string }).subtype}`),
        onMalformed: (reason) => seen.push(`malformed ${reason}`),
        onPermissionRequest: () => seen.push("permission"),
      });
      expect(seen).toEqual(["line early", expect.stringMatching(/^malformed /), "line later"]);
    } finally {
      await h.close();
    }
  });
});

import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import type { ProviderOutput } from "../../../src/providers/provider.js";
import {
  assistantTexts,
  functionCallOutputs,
  userTexts,
} from "../../fakes/openai/recorded-request.js";
import { shell, stall, text } from "../../fakes/openai/response-step.js";
import { pinnedCodexBinary } from "../../support/codex-binary.js";
import { recordTurn, terminalCount } from "../../support/turn-recorder.js";
import { type CodexFixture, codexFixture } from "./codex-fixture.js";

let fixture: CodexFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const items = (outputs: ProviderOutput[]) =>
  outputs.flatMap((o) => (o.kind === "item" ? [o.item] : []));
const sessionOf = (outputs: ProviderOutput[]) =>
  outputs.find((o): o is Extract<ProviderOutput, { kind: "session" }> => o.kind === "session")
    ?.sessionId;

describe("codex adapter with the real CLI", () => {
  test("a text turn streams deltas, lands the final text and completes with its usage", async () => {
    fixture = await codexFixture();
    fixture.fake.script(text("Hello from the fake model", { chunks: 4, chunkDelayMs: 20 }));
    const provider = fixture.provider();
    const turn = recordTurn(provider, fixture.request("chat-1", "say hello"));

    const end = await turn.ended;
    expect(end).toEqual({
      kind: "completed",
      costUsd: null,
      usage: {
        inputTokens: 80,
        cacheReadTokens: 20,
        cacheWriteTokens: 0,
        outputTokens: 10,
        reasoningTokens: 3,
      },
    });
    expect(terminalCount(turn.outputs)).toBe(1);
    expect(sessionOf(turn.outputs)).toMatch(/^[0-9a-f-]{36}$/);
    const deltas = turn.outputs.filter((o) => o.kind === "delta");
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(deltas.map((d) => (d.kind === "delta" ? d.text : "")).join("")).toBe(
      "Hello from the fake model",
    );
    const finalText = turn.outputs.find(
      (o) => o.kind === "item" && o.item.type === "assistant_text",
    );
    expect(finalText).toMatchObject({
      item: { type: "assistant_text", text: "Hello from the fake model" },
    });
    // Deltas and the final item share the item id, so a client can replace the stream.
    expect(
      deltas.every(
        (d) => d.kind === "delta" && finalText?.kind === "item" && d.itemId === finalText.itemId,
      ),
    ).toBe(true);
    expect(userTexts(fixture.fake.requests[0]!)).toEqual(["say hello"]);
  });

  test("a function call runs a real shell command that writes a file", async () => {
    fixture = await codexFixture();
    fixture.fake.script(
      shell("echo made-by-codex > proof.txt && cat proof.txt"),
      text("Wrote proof.txt."),
    );
    const provider = fixture.provider();
    const turn = recordTurn(provider, fixture.request("chat-1", "write proof"));

    expect((await turn.ended).kind).toBe("completed");
    expect(await readFile(join(fixture.codex.workspace, "proof.txt"), "utf8")).toBe(
      "made-by-codex\n",
    );
    const commands = items(turn.outputs).filter((i) => i.type === "command");
    expect(commands.at(0)).toMatchObject({ status: "in_progress", exitCode: null });
    expect(commands.at(-1)).toMatchObject({
      type: "command",
      status: "completed",
      exitCode: 0,
      output: "made-by-codex\n",
    });
    expect(commands.at(-1)?.type === "command" && commands.at(-1)).toHaveProperty("command");
    expect(items(turn.outputs).at(-1)).toEqual({
      type: "assistant_text",
      text: "Wrote proof.txt.",
    });
    // The command's output went back to the model in the next request.
    const outputs = [...functionCallOutputs(fixture.fake.requests[1]!).values()];
    expect(outputs.join("")).toContain("made-by-codex");
  });

  test("usage is per turn: the second turn reports only its own tokens", async () => {
    fixture = await codexFixture();
    const usage1 = {
      inputTokens: 100,
      cachedInputTokens: 20,
      outputTokens: 10,
      reasoningTokens: 3,
    };
    const usage2 = {
      inputTokens: 250,
      cachedInputTokens: 200,
      outputTokens: 40,
      reasoningTokens: 5,
    };
    const usage3 = {
      inputTokens: 300,
      cachedInputTokens: 250,
      outputTokens: 7,
      reasoningTokens: 0,
    };
    fixture.fake.script(
      text("one", { usage: usage1 }),
      shell("true", usage2),
      text("two", { usage: usage3 }),
    );
    const provider = fixture.provider();
    const first = recordTurn(provider, fixture.request("chat-u", "first"));
    const end1 = await first.ended;
    const threadId = sessionOf(first.outputs) ?? null;
    const second = recordTurn(provider, fixture.request("chat-u", "second", threadId));
    const end2 = await second.ended;

    expect(end1).toMatchObject({
      usage: { inputTokens: 80, cacheReadTokens: 20, outputTokens: 10, reasoningTokens: 3 },
    });
    // Two model calls in turn 2: (250-200) + (300-250) uncached, 200+250 cached, 40+7 out.
    expect(end2).toMatchObject({
      usage: { inputTokens: 100, cacheReadTokens: 450, outputTokens: 47, reasoningTokens: 5 },
    });
    // Same thread: no new session reported for the second turn.
    expect(sessionOf(second.outputs)).toBeUndefined();
  });

  test("a new adapter (engine restart) resumes the thread: the model sees the earlier turns", async () => {
    fixture = await codexFixture();
    fixture.fake.script(text("first answer"), text("second answer"), text("third answer"));
    const before = fixture.provider();
    const one = recordTurn(before, fixture.request("chat-r", "first question"));
    await one.ended;
    const threadId = sessionOf(one.outputs) ?? null;
    expect(threadId).not.toBeNull();
    const two = recordTurn(before, fixture.request("chat-r", "second question", threadId));
    expect((await two.ended).kind).toBe("completed");
    await before.shutdown();

    const after = fixture.provider();
    const three = recordTurn(after, fixture.request("chat-r", "third question", threadId));
    const end = await three.ended;

    expect(end).toMatchObject({
      kind: "completed",
      // Resumed in a new process, the turn still reports only its own share.
      usage: { inputTokens: 80, cacheReadTokens: 20, outputTokens: 10, reasoningTokens: 3 },
    });
    expect(sessionOf(three.outputs)).toBeUndefined();
    const last = fixture.fake.requests.at(-1)!;
    expect(userTexts(last)).toEqual(["first question", "second question", "third question"]);
    expect(assistantTexts(last)).toEqual(["first answer", "second answer"]);
  });

  test("the model is chosen per turn; a message's override does not stick to later turns", async () => {
    fixture = await codexFixture();
    const provider = fixture.provider();
    const first = recordTurn(provider, {
      ...fixture.request("chat-m", "with override"),
      settings: { model: "gpt-5.5-mini" },
    });
    await first.ended;
    const second = recordTurn(
      provider,
      fixture.request("chat-m", "default model", sessionOf(first.outputs) ?? null),
    );
    await second.ended;
    const models = fixture.fake.requests.map((r) => (r.body as { model?: string }).model);
    expect(models).toEqual(["gpt-5.5-mini", "gpt-5.5"]);
  });

  test("malformed lines from the app-server are counted and logged, never fatal", async () => {
    fixture = await codexFixture();
    // The real CLI behind a wrapper that first prints garbage on the JSON-RPC stream.
    const wrapper = join(fixture.codex.home, "codex-noisy");
    await writeFile(
      wrapper,
      `#!/bin/sh\nprintf 'this is not json\\n{"broken":\\n'\nexec "$CODEX_REAL" "$@"\n`,
    );
    await chmod(wrapper, 0o755);
    const provider = fixture.provider({
      binary: wrapper,
      env: { ...fixture.codex.env, CODEX_REAL: pinnedCodexBinary() },
    });
    const turn = recordTurn(provider, fixture.request("chat-n", "hello"));

    expect((await turn.ended).kind).toBe("completed");
    expect(
      fixture.logger.warnings.filter((w) => w === "codex app-server sent a malformed line"),
    ).toHaveLength(2);
  });

  test("a thread that cannot be resumed: a notice, a new thread, and its id as the session", async () => {
    fixture = await codexFixture();
    fixture.fake.script(text("fresh start"));
    const provider = fixture.provider();
    const gone = "01a20000-0000-7000-8000-000000000000";
    const turn = recordTurn(provider, fixture.request("chat-g", "hello", gone));

    expect((await turn.ended).kind).toBe("completed");
    expect(items(turn.outputs)[0]).toMatchObject({
      type: "notice",
      level: "warning",
      message: expect.stringContaining(`Could not resume Codex thread ${gone}`),
    });
    const session = sessionOf(turn.outputs);
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    expect(session).not.toBe(gone);
  });

  test("releaseChat ends the chat's open turn; the chat id starts over on a new thread", async () => {
    fixture = await codexFixture();
    fixture.fake.script(stall());
    const provider = fixture.provider();
    const turn = recordTurn(provider, fixture.request("chat-d", "hang"));
    await fixture.fake.waitForRequests(1);

    await provider.releaseChat("chat-d");
    expect(await turn.ended).toEqual({ kind: "interrupted" });
    fixture.fake.script(text("new life"));
    const again = recordTurn(provider, fixture.request("chat-d", "hello"));
    expect((await again.ended).kind).toBe("completed");
    expect(sessionOf(again.outputs)).not.toBe(sessionOf(turn.outputs));
  });

  test("shutdown ends an open turn as interrupted and stops the app-server", async () => {
    fixture = await codexFixture();
    fixture.fake.script(stall());
    const provider = fixture.provider();
    const turn = recordTurn(provider, fixture.request("chat-q", "hang"));
    await fixture.fake.waitForRequests(1);
    const pid = provider.appServerPid!;

    await provider.shutdown();
    expect(await turn.ended).toEqual({ kind: "interrupted" });
    expect(terminalCount(turn.outputs)).toBe(1);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  test("five chats at once each get their own answer", async () => {
    fixture = await codexFixture();
    const provider = fixture.provider();
    const turns = [1, 2, 3, 4, 5].map((n) =>
      recordTurn(provider, fixture!.request(`chat-${n}`, `question ${n}`)),
    );
    const ends = await Promise.all(turns.map((t) => t.ended));

    expect(ends.map((e) => e.kind)).toEqual([
      "completed",
      "completed",
      "completed",
      "completed",
      "completed",
    ]);
    turns.forEach((turn, i) => {
      expect(items(turn.outputs)).toContainEqual({
        type: "assistant_text",
        text: `echo: question ${i + 1}`,
      });
      expect(terminalCount(turn.outputs)).toBe(1);
    });
    const sessions = new Set(turns.map((t) => sessionOf(t.outputs)));
    expect(sessions.size).toBe(5);
  });

  test("a missing binary fails the turn with provider_not_found, and probe says not found", async () => {
    fixture = await codexFixture();
    const provider = fixture.provider({ binary: join(fixture.codex.home, "no-such-codex") });
    const turn = recordTurn(provider, fixture.request("chat-x", "hello"));

    expect(await turn.ended).toMatchObject({
      kind: "failed",
      error: { code: "provider_not_found" },
    });
    expect(terminalCount(turn.outputs)).toBe(1);
    expect(await provider.probe()).toEqual({ found: false, path: null, version: null });
  });

  test("a binary that exits at once fails the turn with provider_spawn_failed", async () => {
    fixture = await codexFixture();
    const provider = fixture.provider({ binary: "/bin/false" });
    const turn = recordTurn(provider, fixture.request("chat-f", "hello"));

    expect(await turn.ended).toMatchObject({
      kind: "failed",
      error: { code: "provider_spawn_failed", details: { exitCode: 1 } },
    });
    expect(terminalCount(turn.outputs)).toBe(1);
  });

  test("probe finds the pinned CLI and its version", async () => {
    fixture = await codexFixture();
    const probe = await fixture.provider().probe();
    expect(probe).toMatchObject({ found: true, version: "0.169.0" });
    expect(probe.path).toMatch(/codex$/);
  });
});

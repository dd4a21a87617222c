import { createServer } from "node:net";
import { execa } from "execa";
import { afterEach, describe, expect, test } from "vitest";
import type { ProviderOutput } from "../../../src/providers/provider.js";
import { lastUserText } from "../../fakes/openai/recorded-request.js";
import { httpError, shell, stall, text } from "../../fakes/openai/response-step.js";
import { type RecordedTurn, recordTurn, terminalCount } from "../../support/turn-recorder.js";
import { type CodexFixture, codexFixture } from "./codex-fixture.js";

let fixture: CodexFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const sessionOf = (outputs: ProviderOutput[]) =>
  outputs.find((o): o is Extract<ProviderOutput, { kind: "session" }> => o.kind === "session")
    ?.sessionId ?? null;

/** Resolves with the terminal output, or "still running" if none arrived within `ms`. */
function endedWithin(turn: RecordedTurn, ms: number) {
  return Promise.race([
    turn.ended,
    new Promise<"still running">((r) => setTimeout(() => r("still running"), ms)),
  ]);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function processAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("codex adapter faults, with the real CLI", () => {
  test("interrupt during a long command ends the turn within 2 s, kills the command, next turn works", async () => {
    fixture = await codexFixture();
    // A duration no other test or run uses, to find this very process.
    const sleep = `sleep 30.${process.pid}${Date.now() % 1000}`;
    fixture.fake.script(shell(sleep));
    const provider = fixture.provider();
    const turn = recordTurn(provider, fixture.request("chat-i", "long task"));
    await turn.waitFor(
      (o) => o.kind === "item" && o.item.type === "command" && o.item.status === "in_progress",
    );

    turn.handle.interrupt();
    expect(await endedWithin(turn, 2_000)).toEqual({ kind: "interrupted" });
    // Codex keeps an interrupted command as a background terminal; the adapter cleans it.
    const sleeping = async () =>
      (await execa("ps", ["-eo", "args"], { timeout: 10_000 })).stdout
        .split("\n")
        .filter((line) => line.startsWith(sleep)).length;
    await expect.poll(sleeping, { timeout: 5_000 }).toBe(0);

    fixture.fake.script(text("still here"));
    const next = recordTurn(
      provider,
      fixture.request("chat-i", "are you there?", sessionOf(turn.outputs)),
    );
    expect((await next.ended).kind).toBe("completed");
    expect(terminalCount(turn.outputs)).toBe(1);
  });

  test("interrupt while text streams ends the turn within 2 s and the next turn works", async () => {
    fixture = await codexFixture();
    fixture.fake.script(text("x".repeat(200), { chunks: 200, chunkDelayMs: 100 }));
    const provider = fixture.provider();
    const turn = recordTurn(provider, fixture.request("chat-s", "stream a lot"));
    await turn.waitFor((o) => o.kind === "delta");

    turn.handle.interrupt();
    expect(await endedWithin(turn, 2_000)).toEqual({ kind: "interrupted" });

    fixture.fake.script(text("short"));
    const next = recordTurn(provider, fixture.request("chat-s", "again", sessionOf(turn.outputs)));
    expect(await next.ended).toMatchObject({ kind: "completed" });
    expect(next.outputs).toContainEqual(
      expect.objectContaining({ item: { type: "assistant_text", text: "short" } }),
    );
    expect(terminalCount(turn.outputs)).toBe(1);
  });

  test("a 401 fails the turn with provider_auth_failed, then a good turn completes", async () => {
    fixture = await codexFixture();
    fixture.fake.script(httpError(401, "Incorrect API key provided"), text("welcome back"));
    const provider = fixture.provider();
    const bad = recordTurn(provider, fixture.request("chat-a", "hello"));
    const end = await bad.ended;

    expect(end).toMatchObject({
      kind: "failed",
      error: { code: "provider_auth_failed", details: { httpStatusCode: 401 } },
    });
    expect(end.kind === "failed" && end.error.message).toContain("401");
    expect(JSON.stringify(bad.outputs)).not.toContain("sk-test-fake-key");

    const good = recordTurn(provider, fixture.request("chat-a", "again", sessionOf(bad.outputs)));
    expect((await good.ended).kind).toBe("completed");
  });

  test("an unreachable API fails the turn within seconds with provider_unreachable; Codex stops it too", async () => {
    fixture = await codexFixture({ baseUrl: `http://127.0.0.1:${await closedPort()}/v1` });
    const provider = fixture.provider();
    const turn = recordTurn(provider, fixture.request("chat-u", "anyone there?"));
    // Codex itself would wait for the network forever ("Reconnecting... waiting for network").
    expect(await endedWithin(turn, 60_000)).toMatchObject({
      kind: "failed",
      error: { code: "provider_unreachable", message: expect.stringContaining("base_url") },
    });
    expect(terminalCount(turn.outputs)).toBe(1);

    // The adapter interrupted the turn in Codex: the thread takes the next turn (not busy).
    const next = recordTurn(
      provider,
      fixture.request("chat-u", "still there?", sessionOf(turn.outputs)),
    );
    expect(await endedWithin(next, 60_000)).toMatchObject({
      kind: "failed",
      error: { code: "provider_unreachable" },
    });
  });

  test("signal() and kill() end a turn even when the app-server ignores the interrupt", async () => {
    fixture = await codexFixture();
    fixture.fake.script(stall());
    const provider = fixture.provider();
    const turn = recordTurn(provider, fixture.request("chat-z", "hang"));
    await fixture.fake.waitForRequests(1);
    const pid = provider.appServerPid;
    expect(pid).toBeDefined();
    // A stopped process answers nothing: the interrupt goes unheard.
    process.kill(pid!, "SIGSTOP");
    try {
      turn.handle.interrupt();
      expect(await endedWithin(turn, 1_000)).toBe("still running");
      turn.handle.signal();
      expect(await endedWithin(turn, 500)).toEqual({ kind: "interrupted" });
      // Only this chat uses the process: kill() takes it down.
      turn.handle.kill();
      await expect.poll(() => processAlive(pid!), { timeout: 5_000 }).toBe(false);
    } finally {
      if (await processAlive(pid!)) process.kill(pid!, "SIGCONT");
    }
    expect(terminalCount(turn.outputs)).toBe(1);

    // The next message starts a new app-server and resumes the thread.
    fixture.fake.script(text("back"));
    const next = recordTurn(
      provider,
      fixture.request("chat-z", "hello again", sessionOf(turn.outputs)),
    );
    expect((await next.ended).kind).toBe("completed");
    expect(provider.appServerPid).not.toBe(pid);
    expect(lastUserText(fixture.fake.requests.at(-1)!)).toBe("hello again");
  });

  test("after signal() the next turn waits for Codex to close the old one, in the same process", async () => {
    fixture = await codexFixture();
    fixture.fake.script(stall());
    const provider = fixture.provider();
    const turn = recordTurn(provider, fixture.request("chat-w", "hang"));
    await fixture.fake.waitForRequests(1);
    const pid = provider.appServerPid;

    turn.handle.signal();
    expect(await endedWithin(turn, 500)).toEqual({ kind: "interrupted" });
    fixture.fake.script(text("next"));
    const next = recordTurn(provider, fixture.request("chat-w", "go on", sessionOf(turn.outputs)));
    expect((await next.ended).kind).toBe("completed");
    expect(provider.appServerPid).toBe(pid);
    expect(terminalCount(turn.outputs)).toBe(1);
  });

  test("the app-server killed with SIGKILL fails every open turn; the next message resumes", async () => {
    fixture = await codexFixture();
    fixture.fake.setHandler(() => stall());
    const provider = fixture.provider();
    const a = recordTurn(provider, fixture.request("chat-a", "first a"));
    const b = recordTurn(provider, fixture.request("chat-b", "first b"));
    await fixture.fake.waitForRequests(2);
    const pid = provider.appServerPid;
    process.kill(pid!, "SIGKILL");

    for (const turn of [a, b]) {
      expect(await endedWithin(turn, 5_000)).toMatchObject({
        kind: "failed",
        error: { code: "provider_process_exited", message: expect.stringContaining("SIGKILL") },
      });
      expect(terminalCount(turn.outputs)).toBe(1);
    }
    expect(fixture.logger.warnings).toContain("codex app-server exited unexpectedly");

    fixture.fake.setHandler(() => text("recovered"));
    const next = recordTurn(provider, fixture.request("chat-a", "second a", sessionOf(a.outputs)));
    expect((await next.ended).kind).toBe("completed");
    expect(provider.appServerPid).not.toBe(pid);
    expect(sessionOf(next.outputs)).toBeNull();
  });
});

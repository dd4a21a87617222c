import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projections } from "../../projections/all.js";
import { readChatView } from "../../projections/chats.js";
import { ScriptedProvider } from "../../test/support/scripted-provider.js";
import { useTempDir } from "../../test/support/temp-dir.js";
import { waitUntil } from "../../test/support/wait-until.js";
import { readStream } from "../log/read-stream.js";
import { createLogger } from "../logger.js";
import type { ProviderOutput, TurnHandle, TurnRequest } from "../providers/provider.js";
import { catchUpReadModels } from "../read-models/catch-up.js";
import { openEngineLog } from "../read-models/open-engine-log.js";
import { ChatRegistry } from "./chat-registry.js";

const tempDir = useTempDir();

/**
 * The scripted provider, plus two ways to throw: `throw` throws from startTurn itself, and
 * `throw-later` starts a turn whose handle throws when the engine asks it to stop.
 */
class ThrowingProvider extends ScriptedProvider {
  override startTurn(request: TurnRequest, emit: (output: ProviderOutput) => void): TurnHandle {
    if (request.text === "throw") throw new Error("the provider broke");
    if (request.text !== "throw-later") return super.startTurn(request, emit);
    const fail = () => {
      throw new Error("the turn broke");
    };
    return { answer: fail, interrupt: fail, signal: fail, kill: fail };
  }
}

function setup(clock: () => Date = () => new Date()) {
  const opened = openEngineLog({
    path: join(tempDir(), "engine.db"),
    projections,
    now: () => clock(),
  });
  if (!opened.ok) throw new Error(opened.message);
  const { log } = opened;
  catchUpReadModels(log);
  const registry = new ChatRegistry({
    log,
    providers: { claude: new ThrowingProvider(), codex: new ScriptedProvider("codex") },
    timing: { watchdogMs: 10_000, graceMs: 50, approvalTimeoutMs: 60_000 },
    logger: createLogger("silent"),
  });
  registry.startAll();
  const created = registry.create({
    chatId: "c1",
    provider: "claude",
    title: null,
    cwd: "/tmp",
    settings: {},
  });
  if (!created.ok) throw new Error(created.error.message);
  /** The chat as GET /chats/:chatId serves it. */
  const chat = (chatId: string) => readChatView(log.readModels, chatId);
  return { log, registry, chat };
}

const post = (registry: ChatRegistry, messageId: string, text: string) =>
  registry.post("c1", { messageId, text, settings: {} });

describe("a provider that throws", () => {
  it("when startTurn throws, the turn fails with provider_error and the next message runs", async () => {
    const { log, registry, chat } = setup();
    post(registry, "m1", "throw");
    post(registry, "m2", "reply ok");
    await waitUntil(() => chat("c1")?.counters.completed === 1, "the next turn completes");
    expect(chat("c1")?.messages).toMatchObject([
      { messageId: "m1", state: "failed", error: { code: "provider_error" } },
      { messageId: "m2", state: "completed" },
    ]);
    const failed = readStream(log, "chat:c1").find((e) => e.type === "chat.turn.failed");
    expect(failed?.data).toMatchObject({
      messageId: "m1",
      error: { message: "the agent provider failed: the provider broke" },
    });
    expect(post(registry, "m3", "reply still here")).toEqual({
      ok: true,
      value: { created: true },
    });
    await registry.shutdown();
  });

  it("when the running turn throws, the turn fails with provider_error and the chat goes idle", async () => {
    const { log, registry, chat } = setup();
    post(registry, "m1", "throw-later");
    await waitUntil(() => chat("c1")?.status === "running", "the turn runs");
    registry.interrupt("c1");
    await waitUntil(() => chat("c1")?.status === "idle", "the chat is idle again");
    const types = readStream(log, "chat:c1").map((e) => e.type);
    expect(types.slice(-2)).toEqual(["chat.turn.interrupting", "chat.turn.failed"]);
    expect(chat("c1")?.messages).toMatchObject([
      { messageId: "m1", state: "failed", error: { code: "provider_error" } },
    ]);
    post(registry, "m2", "reply next");
    await waitUntil(() => chat("c1")?.counters.completed === 1, "the next turn completes");
    await registry.shutdown();
  });

  it("a chat whose actor stopped on an error refuses commands instead of accepting them", async () => {
    // A clock that fails once the turn runs: the machine's next step throws, inside the actor.
    let broken = false;
    const { registry } = setup(() => {
      if (broken) throw new Error("the clock broke");
      return new Date();
    });
    post(registry, "m1", "reply one two");
    broken = true;
    await waitUntil(
      () => registry.inspectActors().find((a) => a.chatId === "c1")?.status === "error",
      "the actor stops",
    );
    broken = false;
    expect(post(registry, "m2", "reply two")).toMatchObject({
      ok: false,
      error: { code: "chat_unavailable" },
    });
    expect(registry.interrupt("c1")).toMatchObject({
      ok: false,
      error: { code: "chat_unavailable" },
    });
    expect(await registry.delete("c1")).toMatchObject({
      ok: false,
      error: { code: "chat_unavailable" },
    });
    await registry.shutdown();
  });
});

import * as v from "valibot";
import { isTerminalOutput, type ProviderOutput } from "../provider.js";
import {
  DeltaNotification,
  ErrorNotification,
  ItemNotification,
  PlanUpdated,
  ReasoningPartAdded,
  ThreadItem,
  type TokenUsageBreakdown,
  TokenUsageUpdated,
  TurnCompleted,
  WarningNotification,
} from "./codex-protocol.js";
import { type MappedItem, mapCompletedItem, mapStartedItem } from "./item-mapping.js";
import type { RpcNotification } from "./json-rpc-connection.js";
import { earlyEnd, failedTurnError, turnUsage } from "./turn-result.js";

/** Command output kept per item; a runaway command must not bloat the event log. */
const maxCommandOutput = 64 * 1024;

/**
 * Maps one Codex turn's notifications (already routed to its thread) to ProviderOutputs. Pure:
 * no I/O, so it is unit-tested on recorded transcripts. Notifications that arrive before the
 * turn id is known (the `turn/start` reply) are held and replayed by `setTurnId`.
 */
export class CodexLineMapper {
  #turnId: string | null = null;
  #held: RpcNotification[] = [];
  #baseline: TokenUsageBreakdown | null;
  #totals: TokenUsageBreakdown | null = null;
  #commandOutput = new Map<string, string>();
  #toolCallsShown = new Set<string>();
  #noticesShown = new Set<string>();
  #finished = false;
  /** A terminal output was returned (maybe early): no other one may follow. */
  #ended = false;

  /** `baseline`: the thread's cumulative totals before this turn (null when unknown or new). */
  constructor(baseline: TokenUsageBreakdown | null) {
    this.#baseline = baseline;
  }

  /** Codex closed the turn (`turn/completed`); an early end (earlyEnd) leaves it running. */
  get finished(): boolean {
    return this.#finished;
  }

  get turnId(): string | null {
    return this.#turnId;
  }

  /** The thread's cumulative totals after this turn, the next turn's baseline. */
  get latestTotals(): TokenUsageBreakdown | null {
    return this.#totals ?? this.#baseline;
  }

  setTurnId(turnId: string): ProviderOutput[] {
    this.#turnId = turnId;
    const held = this.#held;
    this.#held = [];
    return held.flatMap((notification) => this.handle(notification));
  }

  handle(notification: RpcNotification): ProviderOutput[] {
    if (this.#finished) return [];
    if (this.#turnId === null) {
      this.#held.push(notification);
      return [];
    }
    const outputs = this.#map(notification).filter((output) => {
      if (!isTerminalOutput(output)) return true;
      if (this.#ended) return false;
      this.#ended = true;
      return true;
    });
    return outputs;
  }

  #map({ method, params }: RpcNotification): ProviderOutput[] {
    switch (method) {
      case "item/agentMessage/delta":
        return this.#delta(params, "assistant_text");
      case "item/reasoning/summaryTextDelta":
      case "item/reasoning/textDelta":
        return this.#delta(params, "reasoning");
      case "item/reasoning/summaryPartAdded": {
        const part = this.#ours(ReasoningPartAdded, params);
        if (!part) return [];
        return part.summaryIndex > 0
          ? [{ kind: "delta", itemId: part.itemId, itemKind: "reasoning", text: "\n\n" }]
          : [{ kind: "activity" }];
      }
      case "item/commandExecution/outputDelta": {
        const delta = this.#ours(DeltaNotification, params);
        if (!delta) return [];
        const sofar = (this.#commandOutput.get(delta.itemId) ?? "") + delta.delta;
        this.#commandOutput.set(delta.itemId, sofar.slice(-maxCommandOutput));
        return [{ kind: "activity" }];
      }
      case "item/started":
      case "item/completed":
        return this.#item(method, params);
      case "turn/plan/updated": {
        const update = this.#ours(PlanUpdated, params);
        if (!update) return [];
        const items = update.plan.map((step) => ({
          text: step.step,
          status: step.status === "inProgress" ? ("in_progress" as const) : step.status,
        }));
        return [
          { kind: "item", itemId: `${update.turnId}:todo`, item: { type: "todo_list", items } },
        ];
      }
      case "thread/tokenUsage/updated":
        return this.#tokenUsage(params);
      case "error":
        return this.#error(params);
      case "warning": {
        const warning = v.safeParse(WarningNotification, params);
        if (!warning.success) return [];
        return this.#noticeOnce("warning", warning.output.message);
      }
      case "turn/completed":
        return this.#completed(params);
      default:
        return [{ kind: "activity" }];
    }
  }

  /** Parses a turn-scoped notification; null when malformed or about another turn. */
  #ours<T extends v.GenericSchema<unknown, { turnId: string }>>(
    schema: T,
    params: unknown,
  ): v.InferOutput<T> | null {
    const parsed = v.safeParse(schema, params);
    if (!parsed.success || parsed.output.turnId !== this.#turnId) return null;
    return parsed.output;
  }

  #delta(params: unknown, itemKind: "assistant_text" | "reasoning"): ProviderOutput[] {
    const delta = this.#ours(DeltaNotification, params);
    if (!delta || delta.delta === "") return [];
    return [{ kind: "delta", itemId: delta.itemId, itemKind, text: delta.delta }];
  }

  #item(method: "item/started" | "item/completed", params: unknown): ProviderOutput[] {
    const notification = this.#ours(ItemNotification, params);
    if (!notification) return [];
    const item = v.safeParse(ThreadItem, notification.item);
    // userMessage (the engine records the prompt itself) and types we do not render.
    if (!item.success) return [{ kind: "activity" }];
    let mapped: MappedItem[];
    if (method === "item/started") {
      mapped = mapStartedItem(item.output);
    } else {
      mapped = mapCompletedItem(item.output, this.#commandOutput.get(item.output.id));
      this.#commandOutput.delete(item.output.id);
    }
    // A tool call is shown once (at start); its completion only adds the result.
    mapped = mapped.filter(({ itemId, item }) => {
      if (item.type !== "tool_call") return true;
      if (this.#toolCallsShown.has(itemId)) return false;
      this.#toolCallsShown.add(itemId);
      return true;
    });
    if (mapped.length === 0) return [{ kind: "activity" }];
    return mapped.map(({ itemId, item }) => ({ kind: "item", itemId, item }));
  }

  #tokenUsage(params: unknown): ProviderOutput[] {
    const parsed = v.safeParse(TokenUsageUpdated, params);
    if (!parsed.success) return [];
    const { turnId, tokenUsage } = parsed.output;
    if (turnId === this.#turnId) {
      this.#totals = tokenUsage.total;
    } else if (this.#totals === null) {
      // After `thread/resume` Codex repeats the last turn's totals: the baseline of this turn.
      this.#baseline = tokenUsage.total;
    }
    return [{ kind: "activity" }];
  }

  #error(params: unknown): ProviderOutput[] {
    const error = this.#ours(ErrorNotification, params);
    if (!error) return [];
    // A final error is repeated by `turn/completed` (status failed), which ends the turn.
    if (!error.willRetry) return [{ kind: "activity" }];
    const early = earlyEnd(error.error);
    if (early) return [{ kind: "failed", error: early }];
    return this.#noticeOnce("warning", error.error.message);
  }

  /** Retry notices repeat every few seconds while the API is down: show each text once. */
  #noticeOnce(level: "warning", message: string): ProviderOutput[] {
    if (this.#noticesShown.has(message)) return [{ kind: "activity" }];
    this.#noticesShown.add(message);
    return [
      {
        kind: "item",
        itemId: `${this.#turnId}:notice:${this.#noticesShown.size}`,
        item: { type: "notice", level, message },
      },
    ];
  }

  #completed(params: unknown): ProviderOutput[] {
    const parsed = v.safeParse(TurnCompleted, params);
    if (!parsed.success || parsed.output.turn.id !== this.#turnId) return [];
    const { turn } = parsed.output;
    this.#finished = true;
    switch (turn.status) {
      case "completed":
        return [
          {
            kind: "completed",
            usage: this.#totals ? turnUsage(this.#totals, this.#baseline) : null,
            costUsd: null,
          },
        ];
      case "interrupted":
        return [{ kind: "interrupted" }];
      default:
        return [{ kind: "failed", error: failedTurnError(turn.error) }];
    }
  }
}

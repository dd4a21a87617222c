import { type ChatLog, writeChatLog } from "./chat-log.js";
import { chatTurn } from "./chat-workload.js";

const MILLION = 1_000_000;
const CHATS = 100;
const TURN_EVENTS = chatTurn("c0", 0).length;

let built: ChatLog | undefined;

/**
 * A little over a million realistic chat events over 100 chats of equal length (see
 * writeChatLog). Built once per run and shared by the replay, boot and scale benchmarks.
 */
export function millionEventLog(): ChatLog {
  built ??= writeChatLog(
    "million",
    Array.from({ length: CHATS }, () => Math.ceil((MILLION - CHATS) / CHATS / TURN_EVENTS)),
  );
  return built;
}

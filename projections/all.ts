import { chatApprovalsProjection } from "./chat-approvals.js";
import { chatHistoryProjection, streamedTextProjection } from "./chat-history.js";
import { chatMessagesProjection } from "./chat-messages.js";
import { chatsProjection } from "./chats.js";
import { engineStatusProjection } from "./engine-status.js";
import { hooksStatusProjection } from "./hooks-status.js";
import { plansProjection } from "./plans.js";
import type { Projection } from "./projection.js";
import { reposProjection } from "./repos.js";

/** The inline projections, run in every append transaction and by the replay tool. */
export const projections: readonly Projection[] = [
  chatsProjection as Projection,
  chatMessagesProjection as Projection,
  chatHistoryProjection as Projection,
  streamedTextProjection as Projection,
  chatApprovalsProjection as Projection,
  engineStatusProjection as Projection,
  hooksStatusProjection as Projection,
  reposProjection as Projection,
  plansProjection as Projection,
];

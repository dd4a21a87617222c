import { attachmentRefsProjection } from "./attachment-refs.js";
import { chatApprovalsProjection } from "./chat-approvals.js";
import { chatHistoryProjection } from "./chat-history.js";
import { chatMessagesProjection } from "./chat-messages.js";
import { chatsProjection } from "./chats.js";
import { engineStatusProjection } from "./engine-status.js";
import { hooksStatusProjection } from "./hooks-status.js";
import { plansProjection } from "./plans.js";
import type { AnyProjection } from "./projection.js";
import { reposProjection } from "./repos.js";

/** The inline projections, run in every append transaction and by the replay tool. */
export const projections: readonly AnyProjection[] = [
  chatsProjection,
  chatMessagesProjection,
  chatHistoryProjection,
  chatApprovalsProjection,
  engineStatusProjection,
  hooksStatusProjection,
  reposProjection,
  plansProjection,
  attachmentRefsProjection,
];

/**
 * Where a chat's pending approval requests go, with "Allow" and "Deny", once the engine records
 * them (`chat.approval.requested` / `chat.approval.resolved`, the approvals issue). Until then
 * the engine never asks, so there is nothing to show and no button to offer.
 */
export function PendingApprovals(_props: { chatId: string }) {
  return null;
}

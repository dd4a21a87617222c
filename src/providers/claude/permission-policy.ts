import type { ChatSettings } from "../../events/chat-settings.js";

export type PermissionMode = NonNullable<ChatSettings["permissionMode"]>;

export type PermissionDecision =
  | { behavior: "allow"; updatedInput: Record<string, unknown> }
  | { behavior: "deny"; message: string };

/**
 * The engine's answer to a `can_use_tool` control request (the CLI asks only for what its own
 * permission mode does not already settle). Nobody sits at the engine to click "allow", so:
 * - ExitPlanMode is allowed: the plan is recorded as an item and the agent continues;
 * - AskUserQuestion is denied with a hint to decide alone (there is no interactive user);
 * - bypassPermissions allows everything;
 * - every other mode denies what the CLI asked about, the same as the CLI's own headless
 *   behaviour without a prompt tool (acceptEdits has already allowed the edits by then).
 * docs/claude.md documents this policy.
 */
export function decidePermission(
  toolName: string,
  input: Record<string, unknown>,
  mode: PermissionMode,
): PermissionDecision {
  if (toolName === "ExitPlanMode") return { behavior: "allow", updatedInput: input };
  if (toolName === "AskUserQuestion") {
    return {
      behavior: "deny",
      message:
        "No user can answer questions in this session. Make the most reasonable choice, say which in your reply, and continue.",
    };
  }
  if (mode === "bypassPermissions") return { behavior: "allow", updatedInput: input };
  return {
    behavior: "deny",
    message: `${toolName} needs an approval that this session cannot give in permission mode "${mode}". Ask the user to switch the chat to a more permissive mode if it is required.`,
  };
}

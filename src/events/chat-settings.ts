import * as v from "valibot";

export const Provider = v.picklist(["claude", "codex"]);
export type ProviderName = v.InferOutput<typeof Provider>;

/** Claude Code's permission modes (plan mode included). */
export const PermissionMode = v.picklist(["default", "acceptEdits", "plan", "bypassPermissions"]);
/** Codex's sandbox modes. */
export const Sandbox = v.picklist(["read-only", "workspace-write", "danger-full-access"]);
/** Codex's approval policies. */
export const ApprovalPolicy = v.picklist(["untrusted", "on-failure", "on-request", "never"]);

/**
 * Per-chat agent settings; a message may override any of them for its own turn.
 * permissionMode is Claude's vocabulary (plan mode included); sandbox and approvalPolicy are
 * Codex's. An adapter ignores the fields that are not its own.
 */
export const ChatSettings = v.object({
  model: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
  permissionMode: v.optional(PermissionMode),
  sandbox: v.optional(Sandbox),
  approvalPolicy: v.optional(ApprovalPolicy),
  /** How long an approval request of the chat waits for an answer (REPLICAS_APPROVAL_TIMEOUT_MS). */
  approvalTimeoutMs: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1_000), v.maxValue(7 * 24 * 3_600_000)),
  ),
});
export type ChatSettings = v.InferOutput<typeof ChatSettings>;

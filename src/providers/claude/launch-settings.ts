import type { ChatSettings } from "../../events/chat-settings.js";

export type PermissionMode = NonNullable<ChatSettings["permissionMode"]>;

export interface LaunchSettings {
  model: string | undefined;
  permissionMode: PermissionMode;
  resumeSessionId: string | null;
}

/**
 * The argv of one long-lived chat process: stream-json in and out, partial messages (text
 * deltas), permission prompts asked on stdio (each becomes an approval request). Bypassing
 * permissions is allowed at launch whatever the mode, so that an approved plan can be carried
 * out in bypassPermissions (docs/approvals-research.md: the CLI refuses that switch otherwise).
 * `-p` with stream-json input reads user turns from stdin until stdin closes.
 */
export function claudeArgs(settings: LaunchSettings): string[] {
  const args = [
    "-p",
    "--input-format",
    "stream-json",
    "--output-format",
    "stream-json",
    "--verbose",
    "--include-partial-messages",
    "--permission-prompt-tool",
    "stdio",
    "--permission-mode",
    settings.permissionMode,
    "--allow-dangerously-skip-permissions",
  ];
  if (settings.model) args.push("--model", settings.model);
  if (settings.resumeSessionId) args.push("--resume", settings.resumeSessionId);
  return args;
}

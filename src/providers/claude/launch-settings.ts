import type { PermissionMode } from "./permission-policy.js";

export interface LaunchSettings {
  model: string | undefined;
  permissionMode: PermissionMode;
  resumeSessionId: string | null;
}

/**
 * The argv of one long-lived chat process: stream-json in and out, partial messages (text
 * deltas), permission prompts answered on stdio by the engine (permission-policy.ts).
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
  ];
  if (settings.model) args.push("--model", settings.model);
  if (settings.resumeSessionId) args.push("--resume", settings.resumeSessionId);
  return args;
}

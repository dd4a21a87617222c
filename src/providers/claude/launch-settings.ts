import type { ChatSettings } from "../../events/chat-settings.js";

export type PermissionMode = NonNullable<ChatSettings["permissionMode"]>;

/** The mode a turn runs in: the engine fills it in; this fallback is the same default. */
export const permissionModeOf = (settings: ChatSettings): PermissionMode =>
  settings.permissionMode ?? "bypassPermissions";

/** The tools a person must answer in every mode: deferred, so the request outlives the process. */
export const DEFERRED_TOOLS = ["AskUserQuestion", "ExitPlanMode"];

/** The child's variable that holds the hook's decisions for resumed calls, by tool_use_id. */
export const DECISIONS_VARIABLE = "ENGINE_DEFERRED_DECISIONS";

/**
 * The PreToolUse hook, inline (no file to ship): it prints the decision recorded for the call
 * when the engine resumes it with one, else `defer` (the run ends `tool_deferred` with the call
 * and the engine records the request). Run by the CLI through a shell: no single quotes inside.
 */
const HOOK_SCRIPT = [
  'let s="";',
  'process.stdin.on("data",(d)=>{s+=d}).on("end",()=>{',
  "const call=JSON.parse(s);",
  `const known=JSON.parse(process.env.${DECISIONS_VARIABLE}||"{}")[call.tool_use_id];`,
  'const defer={hookSpecificOutput:{hookEventName:"PreToolUse",permissionDecision:"defer"}};',
  "process.stdout.write(JSON.stringify(known||defer));",
  "});",
].join("");

const shellQuote = (s: string) => `'${s.replaceAll("'", `'''`)}'`;

/** `--settings`: the deferring hook on the tools that need a person. */
export function hookSettings(node: string = process.execPath): string {
  const command = `${shellQuote(node)} -e ${shellQuote(HOOK_SCRIPT)}`;
  return JSON.stringify({
    hooks: {
      PreToolUse: [{ matcher: DEFERRED_TOOLS.join("|"), hooks: [{ type: "command", command }] }],
    },
  });
}

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
    "--settings",
    hookSettings(),
  ];
  if (settings.model) args.push("--model", settings.model);
  if (settings.resumeSessionId) args.push("--resume", settings.resumeSessionId);
  return args;
}

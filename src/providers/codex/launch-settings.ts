import type { ChatSettings } from "../../events/chat-settings.js";
import type { TurnRequest } from "../provider.js";
import { imageInputs, messageText } from "../toolkit/attachment-input.js";

/** Inside the VM the agent owns the machine: no sandbox, never ask (nobody could answer). */
export const defaultSandbox = "danger-full-access";
export const defaultApprovalPolicy = "never";

type Sandbox = NonNullable<ChatSettings["sandbox"]>;
type ApprovalPolicy = NonNullable<ChatSettings["approvalPolicy"]>;

/**
 * Codex 0.169 dropped `on-failure` (the server rejects it); `on-request` is its successor: the
 * model runs in the sandbox and asks when it needs more.
 */
function approvalPolicy(settings: ChatSettings): "untrusted" | "on-request" | "never" {
  const policy: ApprovalPolicy = settings.approvalPolicy ?? defaultApprovalPolicy;
  return policy === "on-failure" ? "on-request" : policy;
}

/** `turn/start` takes a sandbox *policy* object where `thread/start` takes a mode name. */
function sandboxPolicy(sandbox: Sandbox, cwd: string): Record<string, unknown> {
  switch (sandbox) {
    case "danger-full-access":
      return { type: "dangerFullAccess" };
    case "read-only":
      return { type: "readOnly", networkAccess: false };
    case "workspace-write":
      return {
        type: "workspaceWrite",
        writableRoots: [cwd],
        networkAccess: false,
        excludeTmpdirEnvVar: false,
        excludeSlashTmp: false,
      };
  }
}

/**
 * Params shared by `thread/start` and `thread/resume`. The model is left out: the thread keeps
 * the configured default, and each turn/start names the model it wants.
 */
export function threadParams(settings: ChatSettings, cwd: string): Record<string, unknown> {
  return {
    cwd,
    approvalPolicy: approvalPolicy(settings),
    sandbox: settings.sandbox ?? defaultSandbox,
  };
}

/**
 * `turn/start` params: the message (its text naming attached files, then its images as
 * `localImage` items); the message's settings apply to this turn (and stick for later ones).
 */
export function turnStartParams(
  threadId: string,
  message: Pick<TurnRequest, "text" | "attachments">,
  settings: ChatSettings,
  cwd: string,
): Record<string, unknown> {
  return {
    threadId,
    input: [
      { type: "text", text: messageText(message), text_elements: [] },
      ...imageInputs(message).map((image) => ({ type: "localImage", path: image.path })),
    ],
    cwd,
    approvalPolicy: approvalPolicy(settings),
    sandboxPolicy: sandboxPolicy(settings.sandbox ?? defaultSandbox, cwd),
    ...(settings.model ? { model: settings.model } : {}),
  };
}

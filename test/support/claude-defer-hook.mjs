// A PreToolUse hook for the real `claude` (see docs/approvals-research.md): it defers every call
// it is asked about, unless CLAUDE_TEST_HOOK_OUTPUT holds the hook output to print instead.
// With CLAUDE_TEST_HOOK_LOG set, it appends each input it gets (one JSON line) to that file.
import { appendFileSync } from "node:fs";

let input = "";
for await (const chunk of process.stdin) input += chunk;
if (process.env.CLAUDE_TEST_HOOK_LOG) {
  appendFileSync(process.env.CLAUDE_TEST_HOOK_LOG, `${input.trim()}\n`);
}
const defer = { hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "defer" } };
process.stdout.write(process.env.CLAUDE_TEST_HOOK_OUTPUT ?? JSON.stringify(defer));

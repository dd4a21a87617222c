import { useState } from "preact/hooks";
import type { PendingApproval } from "../../../../actors/chat-state.js";
import type { ChatDoc } from "../../../../projections/chats.js";
import { useEngine } from "../engine-context.js";
import { ErrorNote } from "../error-note.js";
import { JsonToggle } from "../json-view.js";
import { errorText } from "../live/use-follow.js";
import { renderMarkdown } from "./markdown.js";

const kindLabel: Record<PendingApproval["kind"], string> = {
  tool: "Tool call",
  command: "Command",
  file_change: "File change",
  question: "Question",
  plan: "Plan",
};

interface Question {
  question: string;
  options: { label: string; description?: string }[];
}

/** The questions of a question request (Claude and Codex both send `questions[].question`). */
function questionsOf(input: Record<string, unknown>): Question[] {
  const list = Array.isArray(input.questions) ? (input.questions as Partial<Question>[]) : [];
  return list.flatMap((q) =>
    typeof q.question === "string"
      ? [{ question: q.question, options: Array.isArray(q.options) ? q.options : [] }]
      : [],
  );
}

/** The chat's pending requests, oldest first, each with "Allow" and "Deny". */
export function PendingApprovals({ chat }: { chat: ChatDoc }) {
  if (chat.pendingApprovals.length === 0) return null;
  return (
    <section class="approvals" aria-label="Pending approvals">
      {chat.pendingApprovals.map((approval) => (
        <ApprovalRequest key={approval.approvalId} chatId={chat.chatId} approval={approval} />
      ))}
    </section>
  );
}

function ApprovalRequest({ chatId, approval }: { chatId: string; approval: PendingApproval }) {
  const { client } = useEngine();
  const [message, setMessage] = useState("");
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const questions = approval.kind === "question" ? questionsOf(approval.input) : [];
  const unanswered = questions.some((q) => !answers[q.question]);
  const answer = async (decision: "allow" | "deny") => {
    setBusy(true);
    setError(null);
    try {
      await client.answerApproval(chatId, approval.approvalId, {
        decision,
        ...(decision === "deny" && message.trim() ? { message: message.trim() } : {}),
        ...(decision === "allow" && questions.length > 0 ? { answers } : {}),
      });
    } catch (failure) {
      setError(errorText(failure));
      setBusy(false);
    }
  };
  return (
    <article
      class="approval"
      aria-label={`${kindLabel[approval.kind]}: ${approval.toolName}`}
      data-approval-id={approval.approvalId}
    >
      <div class="item-head">
        {kindLabel[approval.kind]} <code>{approval.toolName}</code>
        {approval.reason && <span class="muted"> · {approval.reason}</span>}
      </div>
      <RequestBody approval={approval} />
      {questions.map((q) => (
        <fieldset key={q.question} class="approval-question">
          <legend>{q.question}</legend>
          {q.options.map((option) => (
            <label key={option.label}>
              <input
                type="radio"
                name={`${approval.approvalId}:${q.question}`}
                checked={answers[q.question] === option.label}
                onChange={() => setAnswers({ ...answers, [q.question]: option.label })}
              />{" "}
              {option.label}
              {option.description && <span class="muted"> · {option.description}</span>}
            </label>
          ))}
        </fieldset>
      ))}
      <div class="approval-actions">
        <input
          type="text"
          aria-label="Message for the agent"
          placeholder="Why not (sent with Deny)"
          value={message}
          onInput={(e) => setMessage((e.target as HTMLInputElement).value)}
        />
        <button type="button" disabled={busy || unanswered} onClick={() => void answer("allow")}>
          Allow
        </button>
        <button type="button" disabled={busy} onClick={() => void answer("deny")}>
          Deny
        </button>
      </div>
      <ErrorNote error={error} />
    </article>
  );
}

/** What the agent wants: the command, the plan (Markdown, sanitised by renderMarkdown), or the input. */
function RequestBody({ approval }: { approval: PendingApproval }) {
  const { input } = approval;
  if (typeof input.command === "string")
    return (
      <pre class="approval-command">
        {input.command}
        {typeof input.cwd === "string" && <span class="muted">{`  (in ${input.cwd})`}</span>}
      </pre>
    );
  if (approval.kind === "plan" && typeof input.plan === "string")
    return (
      <div class="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(input.plan) }} />
    );
  if (approval.kind === "question") return null;
  return <JsonToggle value={input} label="Input" />;
}

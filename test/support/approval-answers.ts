import type { ApprovalAnswer } from "../../src/chats/decide-approval-answer.js";
import type { EngineClient } from "../../src/client/engine-client.js";

/** POST /chats/:chatId/approvals/:approvalId with its HTTP status (the client throws on 4xx). */
export async function postAnswer(
  client: EngineClient,
  chatId: string,
  approvalId: string,
  answer: Partial<ApprovalAnswer> | Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const path = `/chats/${encodeURIComponent(chatId)}/approvals/${encodeURIComponent(approvalId)}`;
  const response = await fetch(new URL(path, client.options.baseUrl), {
    method: "POST",
    headers: {
      "x-replicas-engine-secret": client.options.secret,
      "content-type": "application/json",
    },
    body: JSON.stringify(answer),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The tool_result texts of a recorded Messages request body, in order. */
export function toolResultTexts(body: {
  messages: { role: string; content: unknown }[];
}): string[] {
  return body.messages.flatMap((m) =>
    Array.isArray(m.content)
      ? m.content.flatMap((b: { type?: string; content?: unknown }) =>
          b.type === "tool_result" ? [JSON.stringify(b.content)] : [],
        )
      : [],
  );
}

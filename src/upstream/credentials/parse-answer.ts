import * as v from "valibot";
import type { ParsedAnswer } from "./credential-kind.js";

/**
 * A credential kind's `parseAnswer` for its schema. A failure names the field's path only:
 * valibot's messages quote the received value, which here could be a token.
 */
export function answerParser<S extends v.GenericSchema>(schema: S) {
  return (body: unknown): ParsedAnswer<v.InferOutput<S>> => {
    const result = v.safeParse(schema, body);
    if (result.success) return { ok: true, value: result.output };
    const path = v.getDotPath(result.issues[0]);
    return { ok: false, message: path ? `invalid answer: field "${path}"` : "invalid answer" };
  };
}

import type { Context } from "hono";
import * as v from "valibot";
import { ApiError } from "./api-error.js";

type Schema = v.GenericSchema<unknown, unknown>;

function issues(error: v.SafeParseResult<Schema>["issues"]) {
  return (error ?? []).map((issue) => ({
    path: v.getDotPath(issue) ?? "",
    message: issue.message,
  }));
}

function check<S extends Schema>(
  schema: S,
  value: unknown,
  where: string,
  code: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, value, { abortEarly: false });
  if (result.success) return result.output;
  const found = issues(result.issues);
  const first = found[0];
  const message = first
    ? `${where}: ${first.path ? `${first.path}: ` : ""}${first.message}`
    : `${where} is invalid`;
  throw new ApiError(400, code, message, { issues: found });
}

/** The JSON body, validated: 415 unless it is JSON, 400 when malformed or invalid. */
export async function parseJsonBody<S extends Schema>(
  c: Context,
  schema: S,
  options: { optional?: boolean } = {},
) {
  const text = await c.req.text();
  if (text.length === 0 && options.optional) return check(schema, {}, "body", "invalid_body");
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `the body must be application/json, got "${type || "no content type"}"`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError(
      400,
      "malformed_json",
      `the body is not valid JSON: ${(error as Error).message}`,
    );
  }
  return check(schema, value, "body", "invalid_body");
}

export function parseQuery<S extends Schema>(c: Context, schema: S): v.InferOutput<S> {
  return check(schema, c.req.query(), "query", "invalid_query");
}

export function parseParams<S extends Schema>(c: Context, schema: S): v.InferOutput<S> {
  return check(schema, c.req.param(), "path", "invalid_path");
}

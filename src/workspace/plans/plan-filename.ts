export const MAX_PLAN_NAME_BYTES = 200;

/**
 * Whether `name` may name a plan file: one plain file name ending in `.md`, nothing that could
 * point elsewhere. The router has already decoded the URL once; a `%` left over means a second
 * encoding (`%252F`) and is refused rather than decoded again. Returns why a name is refused.
 */
export function checkPlanFilename(name: string): { ok: true } | { ok: false; message: string } {
  const refuse = (message: string) => ({ ok: false as const, message });
  if (name.length === 0) return refuse("the file name is empty");
  if (Buffer.byteLength(name) > MAX_PLAN_NAME_BYTES) {
    return refuse(`the file name is longer than ${MAX_PLAN_NAME_BYTES} bytes`);
  }
  if (/\p{Cc}/u.test(name)) return refuse("the file name contains NUL or control characters");
  if (/[/\\]/.test(name)) return refuse("the file name contains a path separator");
  if (name.includes("%")) return refuse("the file name contains percent-encoding");
  if (name.startsWith(".") || name.includes(".."))
    return refuse('the file name starts with "." or contains ".."');
  if (!/^[\p{L}\p{N}_][\p{L}\p{N}_ .()+-]*\.md$/u.test(name)) {
    return refuse("a plan name is letters, digits, space and . _ - ( ) +, ending in .md");
  }
  return { ok: true };
}

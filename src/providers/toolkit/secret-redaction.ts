const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH|SESSION)/i;
const SECRET_SHAPES = [
  /sk-ant-[A-Za-z0-9_-]+/g,
  /sk-[A-Za-z0-9_-]{16,}/g,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  /(x-api-key["':\s]+)[A-Za-z0-9._~+/=-]+/gi,
  /AKIA[0-9A-Z]{16}/g,
];

/**
 * Removes secrets from text bound for errors and logs (a stderr tail): the values of secret-
 * looking environment variables the CLI was given, and token shapes whatever their source.
 */
export function redactSecrets(text: string, env: Record<string, string | undefined>): string {
  let out = text;
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 8 && SECRET_NAME.test(name))
      out = out.split(value).join("[redacted]");
  }
  for (const shape of SECRET_SHAPES) {
    out = out.replace(shape, (_match, prefix?: unknown) =>
      typeof prefix === "string" ? `${prefix}[redacted]` : "[redacted]",
    );
  }
  return out;
}

import { pino } from "pino";

/**
 * Structured JSON logs on stderr. Known secret-bearing fields are redacted as a backstop; the
 * first rule is still never to pass a secret to the logger.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? "info") {
  return pino(
    {
      level,
      base: { service: "replicas-engine" },
      redact: {
        paths: ["secret", "token", "*.secret", "*.token", "headers.authorization", "*.apiKey"],
        censor: "[redacted]",
      },
    },
    pino.destination(2),
  );
}
export type Logger = ReturnType<typeof createLogger>;

type Fields = Record<string, unknown>;

/** The part of the logger that components take (pino's order: fields, then message). */
export interface ComponentLogger {
  debug(fields: Fields, message: string): void;
  warn(fields: Fields, message: string): void;
}

export const silentLogger: ComponentLogger = { debug: () => {}, warn: () => {} };

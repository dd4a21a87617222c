type LogFields = Readonly<Record<string, string | number | null>>;

/**
 * Where the upstream workers write operational lines: the part of the engine's pino logger they
 * use (fields first, message second). Fields are plain values and never hold a token, a secret
 * or a response body.
 */
export interface UpstreamLogger {
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
}

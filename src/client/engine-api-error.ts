/** An error answer of the engine, with the API's code and details. */
export class EngineApiError extends Error {
  override readonly name = "EngineApiError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

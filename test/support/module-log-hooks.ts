import { appendFileSync } from "node:fs";

type Load = (
  url: string,
  context: unknown,
  next: (url: string, context: unknown) => unknown,
) => unknown;

/** The loader hook of module-log.ts (it runs on the loader's thread, which sees the env). */
export const load: Load = (url, context, next) => {
  const file = process.env.MODULE_LOG;
  if (file) appendFileSync(file, `${url}\n`);
  return next(url, context);
};

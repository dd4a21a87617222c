import type { HttpBindings } from "@hono/node-server";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "../logger.js";
import { ApiError } from "./api-error.js";
import { requireSecret } from "./auth.js";
import { limitBody } from "./body-limit.js";
import { uiRoutes } from "./ui-routes.js";

export const MAX_BODY_BYTES = 1024 * 1024;

// biome-ignore lint/suspicious/noExplicitAny: route groups carry their own typed schemas; the app only mounts them.
export type RouteGroup = Hono<any, any, any>;

export interface AppParts {
  secret: string;
  logger: Logger;
  /** Routes anyone may call (only /health). */
  publicRoutes: RouteGroup[];
  /** Behind the secret, with their own body limits (uploads): mounted before the JSON one. */
  uploadRoutes: RouteGroup[];
  /** Everything else: behind the secret. */
  routes: RouteGroup[];
}

/** The API: public routes and the web inspector, then the secret, the body limit, the feature routes, JSON errors. */
export function createApp(parts: AppParts) {
  const app = new Hono<{ Bindings: HttpBindings }>();
  for (const routes of parts.publicRoutes) app.route("/", routes);
  // The web inspector's page and assets: public, it asks for the secret itself.
  app.route("/", uiRoutes());
  app.use(requireSecret(parts.secret));
  // A route that answers ends the chain: the JSON limit below never sees an upload.
  for (const routes of parts.uploadRoutes) app.route("/", routes);
  // Only methods that carry a body: on a GET the check would build a full Request for nothing.
  app.on(["POST", "PUT", "PATCH", "DELETE"], "*", limitBody(MAX_BODY_BYTES));
  for (const routes of parts.routes) app.route("/", routes);
  app.notFound((c) =>
    c.json(new ApiError(404, "not_found", `no route ${c.req.method} ${c.req.path}`).body(), 404),
  );
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      // The rest of an over-long body is never read: close, so no client reuses the connection.
      if (error.status === 413) c.header("connection", "close");
      return c.json(error.body(), error.status);
    }
    if (error instanceof HTTPException) {
      const apiError = new ApiError(error.status, "http_error", error.message || "request refused");
      return c.json(apiError.body(), error.status);
    }
    parts.logger.error({ err: error, method: c.req.method, path: c.req.path }, "request failed");
    return c.json(
      new ApiError(500, "internal_error", "the engine could not handle this request").body(),
      500,
    );
  });
  return app;
}

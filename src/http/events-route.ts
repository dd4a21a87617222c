import type { HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { Hono } from "hono";
import type { LogReader } from "../log/event-log.js";
import type { Logger } from "../logger.js";
import { type StreamSettings, type StreamShared, streamEvents } from "../sse/event-stream.js";
import type { Subscribers } from "../sse/subscribers.js";
import { ApiError } from "./api-error.js";
import { parseQuery } from "./parse-input.js";
import { EventsQuery } from "./schemas.js";

export interface EventsRouteDeps {
  log: LogReader;
  shared: StreamShared;
  subscribers: Subscribers;
  settings: StreamSettings;
  logger: Logger;
}

/**
 * GET /events: the log as Server-Sent Events. `Last-Event-ID` (a reconnect) wins over `?after=`
 * (a first connection); `?chatId=` and `?types=` filter; `?epoch=` or `X-Replicas-Epoch` lets
 * the engine tell a client whose cursor belongs to another log to reset.
 */
export function eventsRoute(deps: EventsRouteDeps) {
  return new Hono<{ Bindings: HttpBindings }>().get("/events", (c) => {
    const query = parseQuery(c, EventsQuery);
    const lastEventId = c.req.header("last-event-id");
    if (lastEventId !== undefined && !/^\d{1,15}$/.test(lastEventId)) {
      throw new ApiError(
        400,
        "invalid_last_event_id",
        "Last-Event-ID must be a log position (a whole number)",
      );
    }
    const res = c.env.outgoing;
    deps.subscribers.add(res);
    streamEvents(
      deps.log,
      deps.shared,
      res,
      {
        after: lastEventId !== undefined ? Number(lastEventId) : (query.after ?? 0),
        streams: query.chatId ? [`chat:${query.chatId}`] : undefined,
        types: query.types,
        epoch: query.epoch ?? c.req.header("x-replicas-epoch"),
      },
      deps.settings,
    ).catch((error: unknown) => {
      deps.logger.error({ err: error }, "event stream failed");
      res.destroy();
    });
    return RESPONSE_ALREADY_SENT;
  });
}

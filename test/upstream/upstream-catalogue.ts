import { createCatalogue } from "../../src/events/catalogue.js";
import { credentialsEvents } from "../../src/events/credentials-events.js";
import { webhookEvents } from "../../src/events/webhook-events.js";

const catalogue = createCatalogue([...webhookEvents, ...credentialsEvents], {});

/** Fails the test when an upstream worker records an event its own definition refuses. */
export function checkedEvent<E extends { type: string; data: unknown }>(event: E): E {
  const result = catalogue.validate(event.type, event.data);
  if (!result.ok) throw new Error(`recorded an invalid event: ${result.message}`);
  return event;
}

import * as v from "valibot";
import { approvalEvents } from "./approval-events.js";
import { chatEvents } from "./chat-events.js";
import { credentialsEvents } from "./credentials-events.js";
import type { EventDefinition } from "./define-event.js";
import { engineEvents } from "./engine-events.js";
import { hooksEvents } from "./hooks-events.js";
import { planEvents } from "./plan-events.js";
import { repoEvents } from "./repo-events.js";
import { type Upcasters, upcasters } from "./upcasters.js";
import { webhookEvents } from "./webhook-events.js";

/** Every EngineEvent type the engine records. docs/events.md documents each one. */
export const eventDefinitions = [
  ...chatEvents,
  ...approvalEvents,
  ...engineEvents,
  ...hooksEvents,
  ...repoEvents,
  ...planEvents,
  ...credentialsEvents,
  ...webhookEvents,
] as const;

type Definition = (typeof eventDefinitions)[number];
export type EventType = Definition["type"];
export type EventData<T extends EventType> = v.InferOutput<
  Extract<Definition, { type: T }>["data"]
>;

/** An event to append: the caller names the type and data; the log adds the rest. */
export type NewEvent = {
  [T in EventType]: { type: T; data: EventData<T>; eventId?: string };
}[EventType];

export interface RecordedMeta {
  position: number;
  eventId: string;
  stream: string;
  streamVersion: number;
  schemaVersion: number;
  recordedAt: string;
}

/** An event as read back from the log, upcast to the current schema version. */
export type EngineEvent = {
  [T in EventType]: RecordedMeta & { type: T; data: EventData<T> };
}[EventType];

export type EventOf<T extends EventType> = Extract<EngineEvent, { type: T }>;

export type Validation =
  | { ok: true; schemaVersion: number; data: unknown }
  | { ok: false; message: string; path: string | null };

export interface Catalogue {
  /** Checks an event against its schema; the message names the offending field. */
  validate(type: string, data: unknown): Validation;
  /** Brings stored data of an older schema version up to the current one. */
  upcast(
    type: string,
    schemaVersion: number,
    data: unknown,
  ): { schemaVersion: number; data: unknown };
  /** Whether data of this stored version must pass through an upcaster. */
  isOutdated(type: string, schemaVersion: number): boolean;
  readonly types: readonly string[];
}

export function createCatalogue(
  definitions: readonly EventDefinition[],
  upcasterTable: Upcasters,
): Catalogue {
  const byType = new Map(definitions.map((d) => [d.type, d]));
  return {
    types: definitions.map((d) => d.type),
    validate(type, data) {
      const definition = byType.get(type);
      if (!definition) return { ok: false, message: `unknown event type "${type}"`, path: null };
      const result = v.safeParse(definition.data, data);
      if (result.success) {
        return { ok: true, schemaVersion: definition.schemaVersion, data: result.output };
      }
      const issue = result.issues[0];
      const path = v.getDotPath(issue);
      const where = path ? `field "${path}"` : "data";
      return { ok: false, message: `${type}: ${where}: ${issue.message}`, path };
    },
    upcast(type, schemaVersion, data) {
      const steps = upcasterTable[type] ?? {};
      let version = schemaVersion;
      let current = data;
      for (let step = steps[version]; step; step = steps[version]) {
        current = step(current);
        version += 1;
      }
      return { schemaVersion: version, data: current };
    },
    isOutdated: (type, schemaVersion) => upcasterTable[type]?.[schemaVersion] !== undefined,
  };
}

export const catalogue = createCatalogue(eventDefinitions, upcasters);

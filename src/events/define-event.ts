import type * as v from "valibot";

type DataSchema = v.GenericSchema<unknown, unknown>;

/** One entry of the catalogue: a stable dotted type, its current schema version, its data schema. */
export interface EventDefinition<T extends string = string, S extends DataSchema = DataSchema> {
  readonly type: T;
  readonly schemaVersion: number;
  readonly data: S;
}

export function defineEvent<T extends string, S extends DataSchema>(
  type: T,
  data: S,
  schemaVersion = 1,
): EventDefinition<T, S> {
  return { type, schemaVersion, data };
}

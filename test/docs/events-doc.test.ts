import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import {
  type Catalogue,
  catalogue,
  createCatalogue,
  eventDefinitions,
} from "../../src/events/catalogue.js";
import { defineEvent } from "../../src/events/define-event.js";
import { upcasters } from "../../src/events/upcasters.js";
import { packageRoot } from "../../src/package-root.js";

const eventsDoc = readFileSync(join(packageRoot, "docs", "events.md"), "utf8");

const Count = v.pipe(v.number(), v.integer(), v.minValue(1));
/** The envelope every example must show in full, as SSE and the webhook carry it. */
const Envelope = v.strictObject({
  position: Count,
  eventId: v.pipe(
    v.string(),
    v.regex(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      "not a uuid v7",
    ),
  ),
  stream: v.pipe(v.string(), v.minLength(1)),
  streamVersion: Count,
  type: v.string(),
  schemaVersion: Count,
  data: v.unknown(),
  recordedAt: v.pipe(v.string(), v.isoTimestamp()),
});

interface JsonBlock {
  line: number;
  /** The nearest heading above the block, without `#`s and backticks. */
  heading: string | null;
  text: string;
}

/** Every ```json block of a markdown page: on this page, each one is an event example. */
function jsonBlocks(markdown: string): JsonBlock[] {
  const blocks: JsonBlock[] = [];
  let heading: string | null = null;
  let fence: { line: number; json: boolean; body: string[] } | null = null;
  for (const [index, line] of markdown.split("\n").entries()) {
    if (fence) {
      if (line.trimEnd() !== "```") fence.body.push(line);
      else {
        if (fence.json) blocks.push({ line: fence.line, heading, text: fence.body.join("\n") });
        fence = null;
      }
      continue;
    }
    if (line.startsWith("```")) {
      fence = { line: index + 1, json: line.trimEnd() === "```json", body: [] };
      continue;
    }
    const title = /^#{1,6} (.*)$/.exec(line);
    if (title) heading = (title[1] ?? "").replaceAll("`", "").trim();
  }
  return blocks;
}

/** What is wrong with the page's examples with respect to a catalogue; empty when all is well. */
function eventsDocProblems(markdown: string, events: Catalogue): string[] {
  const problems: string[] = [];
  const examplesOf = new Map<string, number>(events.types.map((t) => [t, 0]));
  const order: string[] = [];
  for (const block of jsonBlocks(markdown)) {
    const where = `docs/events.md:${block.line}`;
    let json: unknown;
    try {
      json = JSON.parse(block.text);
    } catch (error) {
      problems.push(`${where}: not JSON: ${(error as Error).message}`);
      continue;
    }
    const envelope = v.safeParse(Envelope, json);
    if (!envelope.success) {
      const [issue] = envelope.issues;
      problems.push(`${where}: not a full event: ${v.getDotPath(issue) ?? ""} ${issue.message}`);
      continue;
    }
    const { type, data, schemaVersion, stream } = envelope.output;
    const count = examplesOf.get(type);
    if (count === undefined) {
      problems.push(`${where}: "${type}" is not a type of the catalogue`);
      continue;
    }
    examplesOf.set(type, count + 1);
    order.push(type);
    if (block.heading !== type) {
      problems.push(`${where}: the ${type} example is under the heading "${block.heading}"`);
    }
    const check = events.validate(type, data);
    if (!check.ok) {
      problems.push(`${where}: ${check.message}`);
      continue;
    }
    if (!isDeepStrictEqual(check.data, data)) {
      problems.push(`${where}: ${type}: data has fields its schema does not know`);
    }
    if (schemaVersion !== check.schemaVersion) {
      problems.push(
        `${where}: ${type}: schemaVersion ${schemaVersion}, the catalogue's is ${check.schemaVersion}`,
      );
    }
    const chatId = (data as { chatId?: unknown }).chatId;
    if (type.startsWith("chat.") && stream !== `chat:${chatId}`) {
      problems.push(`${where}: ${type}: stream "${stream}" is not "chat:${chatId}"`);
    }
  }
  for (const [type, count] of examplesOf) {
    if (count !== 1) problems.push(`${type}: ${count} examples, expected exactly one`);
  }
  const catalogueOrder = events.types.filter((t) => order.includes(t));
  if (!isDeepStrictEqual([...new Set(order)], catalogueOrder)) {
    problems.push("the examples are not in catalogue order");
  }
  return problems;
}

describe("docs/events.md", () => {
  it("has exactly one valid, current example per catalogue type, in catalogue order", () => {
    expect(eventsDocProblems(eventsDoc, catalogue)).toEqual([]);
  });

  it("fails for a type without docs, an unknown type, bad data or an old schemaVersion", () => {
    const withNewType = createCatalogue(
      [...eventDefinitions, defineEvent("chat.renamed", v.object({ chatId: v.string() }))],
      upcasters,
    );
    expect(eventsDocProblems(eventsDoc, withNewType)).toEqual([
      "chat.renamed: 0 examples, expected exactly one",
    ]);

    const unknownType = eventsDoc.replace('"type": "chat.deleted"', '"type": "chat.archived"');
    expect(eventsDocProblems(unknownType, catalogue)).toEqual([
      expect.stringMatching(/: "chat\.archived" is not a type of the catalogue$/),
      "chat.deleted: 0 examples, expected exactly one",
    ]);

    const badData = eventsDoc.replace(/"durationMs": (\d+)/, '"durationMs": "$1"');
    expect(eventsDocProblems(badData, catalogue)).toEqual([
      expect.stringMatching(/: field "durationMs": /),
    ]);

    const bumped = eventDefinitions.map((d) =>
      d.type === "chat.deleted" ? defineEvent(d.type, d.data, 2) : d,
    );
    expect(eventsDocProblems(eventsDoc, createCatalogue(bumped, upcasters))).toEqual([
      expect.stringMatching(/: chat\.deleted: schemaVersion 1, the catalogue's is 2$/),
    ]);
  });
});

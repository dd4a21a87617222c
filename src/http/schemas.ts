import * as v from "valibot";
import { AttachmentId, AttachmentName } from "../attachments/attachment.js";
import { ChatSettings, Provider } from "../events/chat-settings.js";

/** Chat and message ids: safe in a URL path, a stream name and a file name. */
export const Id = v.pipe(
  v.string(),
  v.regex(
    /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/,
    "must be 1 to 128 letters, digits, '_', '.', ':' or '-'",
  ),
);

const Position = v.pipe(
  v.string(),
  v.regex(/^\d{1,15}$/, "must be a log position (a whole number)"),
  v.transform(Number),
);

export const ChatParams = v.object({ chatId: Id });

const acceptedSettings = `the accepted settings are ${Object.keys(ChatSettings.entries).join(", ")}`;

/**
 * Settings as a request gives them: an object of known keys only, so a typo ("permisionMode")
 * is refused by name instead of silently dropped. Events keep the plain ChatSettings schema.
 */
const SettingsInput = v.intersect([
  // An array passes an object schema (typeof [] is "object"): refuse it by name.
  v.custom<object>((value) => !Array.isArray(value), `must be an object; ${acceptedSettings}`),
  v.strictObject(ChatSettings.entries, (issue) =>
    issue.expected === "never"
      ? `unknown setting ${issue.received}; ${acceptedSettings}`
      : `must be an object; ${acceptedSettings}`,
  ),
]);

const AbsolutePath = v.pipe(
  v.string(),
  v.startsWith("/", "must be an absolute path"),
  v.maxLength(4096),
);

export const CreateChatBody = v.strictObject({
  chatId: v.optional(Id),
  provider: Provider,
  title: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(500))), null),
  cwd: v.optional(AbsolutePath),
  settings: v.optional(SettingsInput, {}),
});

/** An uploaded attachment by id, or a file on this machine by absolute path; `name` as the agent sees it. */
const AttachmentRef = v.union(
  [
    v.strictObject({ id: AttachmentId, name: v.optional(AttachmentName) }),
    v.strictObject({ path: AbsolutePath, name: v.optional(AttachmentName) }),
  ],
  'must be {"id"} (from POST /attachments) or {"path"} (an absolute path), with an optional "name"',
);
export const MAX_MESSAGE_ATTACHMENTS = 20;

export const PostMessageBody = v.strictObject({
  text: v.pipe(v.string(), v.minLength(1, "must not be empty"), v.maxLength(500_000)),
  messageId: v.optional(Id),
  settings: v.optional(SettingsInput, {}),
  attachments: v.optional(
    v.pipe(
      v.array(AttachmentRef),
      v.maxLength(MAX_MESSAGE_ATTACHMENTS, `at most ${MAX_MESSAGE_ATTACHMENTS} attachments`),
    ),
    [],
  ),
});

export const InterruptBody = v.strictObject({});

/** GET /chats: a page holds this many chats unless `limit` says otherwise, and at most `max`. */
export const CHATS_PAGE = { default: 100, max: 1000 } as const;

export const ChatsQuery = v.strictObject({
  after: v.optional(Position),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,5}$/, `must be a whole number from 1 to ${CHATS_PAGE.max}`),
      v.transform(Number),
      v.minValue(1, `must be a whole number from 1 to ${CHATS_PAGE.max}`),
      v.maxValue(CHATS_PAGE.max, `must be a whole number from 1 to ${CHATS_PAGE.max}`),
    ),
  ),
});

export const HistoryQuery = v.strictObject({
  after: v.optional(Position),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,5}$/, "must be a whole number"),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(5000),
    ),
  ),
});

export const EventsQuery = v.strictObject({
  after: v.optional(Position),
  chatId: v.optional(Id),
  types: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[a-z.,_]{1,2000}$/, "must be a comma-separated list of event types"),
      v.transform((s) => s.split(",").filter(Boolean)),
    ),
  ),
  epoch: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/, "must be a store epoch"))),
});

export const ReposQuery = v.strictObject({
  includeDiffs: v.optional(v.picklist(["true", "false"])),
});

export const PlanParams = v.object({ filename: v.pipe(v.string(), v.maxLength(255)) });

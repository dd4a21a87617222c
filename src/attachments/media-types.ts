/** The largest upload the engine takes: its own limit, beside the 1 MiB limit of JSON bodies. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export type ImageMediaType = (typeof IMAGE_TYPES)[number];

/** What `POST /attachments` takes: images, PDF, any text, JSON. */
export const ACCEPTED_MEDIA_TYPES = [
  ...IMAGE_TYPES,
  "application/pdf",
  "text/*",
  "application/json",
];

/** The media type without parameters, lower-cased; null when the engine does not take it. */
export function acceptedMediaType(contentType: string | undefined): string | null {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return null;
  if ((IMAGE_TYPES as readonly string[]).includes(type)) return type;
  if (type === "application/pdf" || type === "application/json" || type.startsWith("text/"))
    return type;
  return null;
}

export const isImage = (mediaType: string): mediaType is ImageMediaType =>
  (IMAGE_TYPES as readonly string[]).includes(mediaType);

/** Is UTF-8 text, checked as the bytes stream in. */
export const isText = (mediaType: string) =>
  mediaType.startsWith("text/") || mediaType === "application/json";

const ascii = (head: Uint8Array, at: number, text: string) =>
  [...text].every((char, i) => head[at + i] === char.charCodeAt(0));

/** The first bytes a file of each binary type starts with; `SIGNATURE_BYTES` are enough for all. */
const SIGNATURES: Record<string, (head: Uint8Array) => boolean> = {
  "image/png": (h) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => h[i] === b),
  "image/jpeg": (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff,
  "image/gif": (h) => ascii(h, 0, "GIF87a") || ascii(h, 0, "GIF89a"),
  "image/webp": (h) => ascii(h, 0, "RIFF") && ascii(h, 8, "WEBP"),
  "application/pdf": (h) => ascii(h, 0, "%PDF-"),
};
export const SIGNATURE_BYTES = 12;

/** Do the file's first bytes match its declared binary type? (Text is checked as UTF-8.) */
export function matchesSignature(mediaType: string, head: Uint8Array): boolean {
  const check = SIGNATURES[mediaType];
  return check ? check(head) : true;
}

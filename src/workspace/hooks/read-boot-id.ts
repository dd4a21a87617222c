import { readFile } from "node:fs/promises";

export const LINUX_BOOT_ID_FILE = "/proc/sys/kernel/random/boot_id";

/** The kernel's id of the current boot (changes at every boot); null where there is none. */
export async function readBootId(file = LINUX_BOOT_ID_FILE): Promise<string | null> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.trim() || null;
}

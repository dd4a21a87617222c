import { randomBytes } from "node:crypto";
import { chmod, readFile } from "node:fs/promises";
import { writeFileAtomically } from "../files/atomic-write.js";

export type SecretSource = { secret: string; source: "environment" | "file" | "generated" };

/**
 * The shared secret: REPLICAS_ENGINE_SECRET when set; otherwise (never in production, which
 * env validation enforces) the one stored in the state folder, generated on first start with
 * mode 0600 (a stored one made 0600 if an older start left it readable by others). The value
 * itself is never printed.
 */
export async function loadEngineSecret(
  fromEnv: string | undefined,
  file: string,
): Promise<SecretSource> {
  if (fromEnv) return { secret: fromEnv, source: "environment" };
  const stored = await readFile(file, "utf8").then(
    (text) => text.trim(),
    () => "",
  );
  if (stored.length >= 16) {
    await chmod(file, 0o600);
    return { secret: stored, source: "file" };
  }
  const secret = randomBytes(32).toString("hex");
  const written = await writeFileAtomically(file, `${secret}\n`);
  if (!written.ok) throw new Error(`Storing the engine's secret failed: ${written.message}`);
  return { secret, source: "generated" };
}

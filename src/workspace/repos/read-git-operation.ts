import { access } from "node:fs/promises";
import { join } from "node:path";
import type { RepoOperation } from "../../events/repo-events.js";

/** The state files git leaves in the git dir while an operation waits for the user. */
const MARKERS: ReadonlyArray<readonly [string, RepoOperation]> = [
  ["rebase-merge", "rebase"],
  ["rebase-apply/applying", "am"],
  ["rebase-apply", "rebase"],
  ["MERGE_HEAD", "merge"],
  ["CHERRY_PICK_HEAD", "cherry-pick"],
  ["REVERT_HEAD", "revert"],
  ["BISECT_LOG", "bisect"],
];

export async function readGitOperation(gitDir: string): Promise<RepoOperation | null> {
  const present = await Promise.all(
    MARKERS.map(([file]) =>
      access(join(gitDir, file)).then(
        () => true,
        () => false,
      ),
    ),
  );
  const index = present.indexOf(true);
  return index === -1 ? null : (MARKERS[index]?.[1] ?? null);
}

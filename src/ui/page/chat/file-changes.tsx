import { useState } from "preact/hooks";
import type { CanonicalItem } from "../../../events/canonical-item.js";
import type { RepoStatus } from "../../../workspace/repos/repo-status.js";
import { useEngine } from "../engine-context.js";
import { errorText } from "../live/use-follow.js";
import { DiffView } from "./diff-view.js";
import { fileDiff, locateFile } from "./file-diff.js";

type FileChange = Extract<CanonicalItem, { type: "file_change" }>;
const marks = { add: "+", update: "~", delete: "-", rename: ">" } as const;

/**
 * The files an agent changed. The item names them; the diff comes from the repository's working
 * tree now (GET /repos?includeDiffs=true), fetched when asked for.
 */
export function FileChanges({ item, cwd }: { item: FileChange; cwd: string }) {
  const { client } = useEngine();
  const [diffs, setDiffs] = useState<Record<string, string> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const show = async () => {
    try {
      const { repos } = await client.get<{ repos: RepoStatus[] }>("/repos?includeDiffs=true");
      const found: Record<string, string> = {};
      for (const change of item.changes) {
        const at = locateFile(repos, cwd, change.path);
        const diff = at && fileDiff(at.repo.gitDiff.fullDiff ?? "", at.relativePath);
        found[change.path] = diff ?? "(no difference in the working tree now)";
      }
      setDiffs(found);
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <div class="file-changes">
      <div class="item-head">
        File changes · {item.status}
        <button type="button" class="link" onClick={diffs ? () => setDiffs(null) : show}>
          {diffs ? "Hide diffs" : "Show diffs"}
        </button>
      </div>
      <ul>
        {item.changes.map((change) => (
          <li key={change.path}>
            <code class={`change-${change.kind}`}>
              {marks[change.kind]} {change.path}
            </code>
            {diffs?.[change.path] !== undefined && <DiffView diff={diffs[change.path] ?? ""} />}
          </li>
        ))}
      </ul>
      {error && <p class="error">{error}</p>}
    </div>
  );
}

import { useState } from "preact/hooks";
import type { RepoStatus } from "../../../workspace/repos/repo-status.js";
import { DiffView } from "../chat/diff-view.js";
import { useEngine } from "../engine-context.js";
import { errorText, useRefreshed } from "../live/use-follow.js";

/** Repos: branch, ahead/behind, dirty state, PR link; each one's diff on demand. */
export function ReposPanel() {
  const { client } = useEngine();
  const { value, error } = useRefreshed(
    () => client.get<{ root: string; repos: RepoStatus[] }>("/repos"),
    (event) => event.type.startsWith("repo."),
    2000,
  );
  const [diffs, setDiffs] = useState<Record<string, string> | null>(null);
  const [diffError, setDiffError] = useState<string | null>(null);
  const showDiffs = async () => {
    try {
      const { repos } = await client.get<{ repos: RepoStatus[] }>("/repos?includeDiffs=true");
      setDiffs(Object.fromEntries(repos.map((r) => [r.path, r.gitDiff.fullDiff ?? ""])));
    } catch (failure) {
      setDiffError(errorText(failure));
    }
  };
  return (
    <section class="panel" aria-label="Repos">
      <h3>
        Repos{" "}
        <button type="button" class="link" onClick={diffs ? () => setDiffs(null) : showDiffs}>
          {diffs ? "Hide diffs" : "Show diffs"}
        </button>
      </h3>
      {(error ?? diffError) && <p class="error">{error ?? diffError}</p>}
      {value && value.repos.length === 0 && (
        <p class="muted">No git repository under {value.root}.</p>
      )}
      {value?.repos.map((repo) => (
        <article key={repo.path} class="repo" data-repo={repo.name}>
          <div>
            <strong>{repo.name}</strong> <code>{repo.branch ?? "(detached)"}</code>
            {repo.upstream &&
              ` · ${repo.upstream.ref} ↑${repo.upstream.ahead ?? "?"} ↓${repo.upstream.behind ?? "?"}`}
            {repo.operation && ` · ${repo.operation} in progress`}
          </div>
          <div class="muted">
            {repo.dirty.staged} staged · {repo.dirty.unstaged} unstaged · {repo.dirty.untracked}{" "}
            untracked
            {repo.dirty.conflicted > 0 && ` · ${repo.dirty.conflicted} conflicted`} · diff{" "}
            {repo.gitDiff.files} files +{repo.gitDiff.added} −{repo.gitDiff.removed}
            {repo.pullRequest && (
              <>
                {" · "}
                <a href={repo.pullRequest.url} target="_blank" rel="noreferrer noopener">
                  PR #{repo.pullRequest.number} ({repo.pullRequest.state})
                </a>
              </>
            )}
          </div>
          {diffs && <DiffView diff={diffs[repo.path] || "(no difference)"} />}
        </article>
      ))}
    </section>
  );
}

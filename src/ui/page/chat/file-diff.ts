/** One file's part of a repository's full diff (`diff --git a/<path> b/<path>` up to the next). */
export function fileDiff(fullDiff: string, relativePath: string): string | null {
  for (const section of fullDiff.split(/^(?=diff --git )/m)) {
    const header = section.slice(0, section.indexOf("\n"));
    if (header.startsWith("diff --git ") && header.endsWith(` b/${relativePath}`)) return section;
  }
  return null;
}

/** The repository a changed file is in, and its path there; `path` may be relative to `cwd`. */
export function locateFile<R extends { path: string }>(
  repos: R[],
  cwd: string,
  path: string,
): { repo: R; relativePath: string } | null {
  const absolute = path.startsWith("/") ? path : `${cwd.replace(/\/$/, "")}/${path}`;
  const repo = repos
    .filter((r) => absolute.startsWith(`${r.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
  return repo ? { repo, relativePath: absolute.slice(repo.path.length + 1) } : null;
}

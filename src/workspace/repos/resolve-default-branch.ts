import type { GitRunner } from "./git-runner.js";

export interface DefaultBranch {
  /** e.g. "main". */
  name: string;
  /** The ref the diff base is computed from, full ("refs/remotes/origin/main") and short. */
  ref: string;
  shortRef: string;
}

const ORIGIN_HEAD = "refs/remotes/origin/HEAD";
/** Tried in this order after origin/HEAD: the remote's copy first, as it is what a PR targets. */
const CANDIDATES = [
  "refs/remotes/origin/main",
  "refs/remotes/origin/master",
  "refs/heads/main",
  "refs/heads/master",
];

/**
 * The default branch: where `origin/HEAD` points, else main or master (remote, then local).
 * One `git for-each-ref` call; null when none of them exists or git fails.
 */
export async function resolveDefaultBranch(
  git: GitRunner,
  repoPath: string,
): Promise<DefaultBranch | null> {
  const result = await git(repoPath, [
    "for-each-ref",
    "--format=%(refname)%00%(symref)",
    ORIGIN_HEAD,
    ...CANDIDATES,
  ]);
  if (!result.ok) return null;
  const refs = new Map<string, string>();
  for (const line of result.stdout.split("\n")) {
    const [refname, symref = ""] = line.split("\0");
    if (refname) refs.set(refname, symref);
  }
  const target = refs.get(ORIGIN_HEAD);
  const ref = target || CANDIDATES.find((candidate) => refs.has(candidate));
  if (!ref) return null;
  const shortRef = ref.replace(/^refs\/(heads|remotes)\//, "");
  const name = ref.startsWith("refs/remotes/") ? shortRef.replace(/^[^/]+\//, "") : shortRef;
  return { name, ref, shortRef };
}

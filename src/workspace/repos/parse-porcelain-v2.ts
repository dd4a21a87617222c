/** What `git status --porcelain=v2 --branch -z` says, reduced to what the repo summary needs. */
export interface PorcelainStatus {
  /** null before the first commit ("(initial)"). */
  headCommit: string | null;
  /** null when HEAD is detached. */
  branch: string | null;
  upstream: string | null;
  ahead: number | null;
  behind: number | null;
  staged: number;
  unstaged: number;
  untracked: number;
  conflicted: number;
  untrackedPaths: string[];
}

export function parsePorcelainV2(output: string): PorcelainStatus {
  const status: PorcelainStatus = {
    headCommit: null,
    branch: null,
    upstream: null,
    ahead: null,
    behind: null,
    staged: 0,
    unstaged: 0,
    untracked: 0,
    conflicted: 0,
    untrackedPaths: [],
  };
  const records = output.split("\0");
  for (let i = 0; i < records.length; i++) {
    const record = records[i] ?? "";
    const kind = record.slice(0, 2);
    if (kind === "# ") readHeader(record.slice(2), status);
    else if (kind === "? ") {
      status.untracked += 1;
      status.untrackedPaths.push(record.slice(2));
    } else if (kind === "u ") status.conflicted += 1;
    else if (kind === "1 " || kind === "2 ") {
      const xy = record.slice(2, 4);
      if (xy[0] !== ".") status.staged += 1;
      if (xy[1] !== ".") status.unstaged += 1;
      // With -z a rename/copy entry is followed by its original path as a record of its own.
      if (kind === "2 ") i += 1;
    }
  }
  return status;
}

function readHeader(header: string, status: PorcelainStatus): void {
  const space = header.indexOf(" ");
  const key = header.slice(0, space);
  const value = header.slice(space + 1);
  if (key === "branch.oid") status.headCommit = value === "(initial)" ? null : value;
  else if (key === "branch.head") status.branch = value === "(detached)" ? null : value;
  else if (key === "branch.upstream") status.upstream = value;
  else if (key === "branch.ab") {
    const match = /^\+(\d+) -(\d+)$/.exec(value);
    if (match) {
      status.ahead = Number(match[1]);
      status.behind = Number(match[2]);
    }
  }
}

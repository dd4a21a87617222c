export interface NumstatTotals {
  files: number;
  added: number;
  removed: number;
}

/**
 * Totals of `git diff --numstat -z`. Each record is `added\tremoved\tpath\0`, or for a rename
 * `added\tremoved\t\0old\0new\0`; a binary file shows `-` for both counts and adds no lines.
 */
export function parseNumstat(output: string): NumstatTotals {
  const totals: NumstatTotals = { files: 0, added: 0, removed: 0 };
  const records = output.split("\0");
  for (let i = 0; i < records.length; i++) {
    const match = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(records[i] ?? "");
    if (!match) continue;
    totals.files += 1;
    if (match[1] !== "-") totals.added += Number(match[1]);
    if (match[2] !== "-") totals.removed += Number(match[2]);
    // An empty path field means the two paths of a rename follow as their own records.
    if (match[3] === "") i += 2;
  }
  return totals;
}

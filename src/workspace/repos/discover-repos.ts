import type { Dirent } from "node:fs";
import { access, readdir } from "node:fs/promises";
import { basename, join, relative, sep } from "node:path";

export interface DiscoveredRepo {
  /** Path relative to the workspaces root, "/"-separated ("api", "acme/web"). */
  name: string;
  path: string;
}

export interface DiscoverOptions {
  /** How many folder levels below the root are searched (root/a/b/c is depth 3). */
  maxDepth?: number;
}

/**
 * Every git repository under the workspaces root. A folder holding `.git` (directory or file) is
 * a repository and is not searched further (nested repos and submodules belong to it). Hidden
 * folders, node_modules and symlinks are not followed, which also rules out cycles and escapes
 * from the root. A missing root has no repositories.
 */
export async function discoverRepos(
  root: string,
  options: DiscoverOptions = {},
): Promise<DiscoveredRepo[]> {
  const maxDepth = options.maxDepth ?? 3;
  if (await isRepoRoot(root)) return [{ name: basename(root), path: root }];
  const found: DiscoveredRepo[] = [];
  let level = [root];
  for (let depth = 1; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    await Promise.all(
      level.map(async (folder) => {
        for (const entry of await listFolders(folder)) {
          const path = join(folder, entry.name);
          if (await isRepoRoot(path))
            found.push({ name: relative(root, path).split(sep).join("/"), path });
          else next.push(path);
        }
      }),
    );
    level = next;
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function listFolders(folder: string): Promise<Dirent[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries.filter(
    (entry) => entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules",
  );
}

function isRepoRoot(path: string): Promise<boolean> {
  return access(join(path, ".git")).then(
    () => true,
    () => false,
  );
}

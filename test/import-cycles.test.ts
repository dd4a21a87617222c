import { parseCircular, parseDependencyTree, shortenTree } from "dpdm";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/package-root.js";

/** Every import of the engine's own code, type-only ones included: what a cycle is made of. */
const importGraph = parseDependencyTree(["src/**/*.ts", "actors/**/*.ts", "projections/**/*.ts"], {
  cwd: packageRoot,
  context: packageRoot,
  transform: false,
}).then((tree) => shortenTree(packageRoot, tree));

const isOwnCode = (file: string) =>
  /^(src|actors|projections)\//.test(file) && !file.endsWith(".test.ts");

/** A file's folder as the folder map names it: projections, actors, src/<folder> (or file). */
function folderOf(file: string): string {
  const [top, second = ""] = file.split("/");
  if (top !== "src") return top ?? file;
  return `src/${second.replace(/\.ts$/, "")}`;
}

/** The strongly connected groups of more than one folder (Tarjan), each sorted. */
function folderCycles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (stack.includes(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      group.push(member);
      if (member === node) break;
    }
    if (group.length > 1) groups.push(group.sort());
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return groups.sort((a, b) => (a.join() < b.join() ? -1 : 1));
}

describe("imports", () => {
  it("no file of src/, actors/ or projections/ imports itself through others", async () => {
    expect(parseCircular(await importGraph)).toEqual([]);
  });

  it("folders depend on each other one way only", async () => {
    const edges = new Map<string, Set<string>>();
    for (const [file, dependencies] of Object.entries(await importGraph)) {
      if (!isOwnCode(file)) continue;
      for (const dependency of dependencies ?? []) {
        if (!dependency.id || !isOwnCode(dependency.id)) continue;
        const from = folderOf(file);
        const to = folderOf(dependency.id);
        if (from === to) continue;
        edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    expect(folderCycles(edges)).toEqual([]);
  });
});

import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { useTempDir } from "../../test/support/temp-dir.js";
import { packageRoot } from "../package-root.js";
import { BUNDLE_LINE_LIMIT } from "./bundle-cli.js";

const tempDir = useTempDir("stacks-");
const mapper = pathToFileURL(join(packageRoot, "dist", "src", "cli", "source-mapped-stacks.js"));

/** A module whose second line throws, bundled and minified as the command is, with its map. */
async function bundledThrower(dir: string, name: string): Promise<string> {
  const source = join(dir, `${name}.ts`);
  writeFileSync(
    source,
    `export function ${name}(): never {\n  throw new Error("from ${name}");\n}\n`,
  );
  const out = join(dir, `${name}.js`);
  await build({
    entryPoints: [source],
    outfile: out,
    bundle: true,
    format: "esm",
    platform: "node",
    sourcemap: true,
    sourcesContent: false,
    minifyWhitespace: true,
    lineLimit: BUNDLE_LINE_LIMIT,
    logLevel: "warning",
  });
  return out;
}

/** The stack of each module's throw, in a node process with the mapper installed. */
async function stacksOf(modules: Record<string, string>): Promise<Record<string, string>> {
  const script = `import { mapStacksOnDemand } from ${JSON.stringify(mapper.href)};
mapStacksOnDemand();
const stacks = {};
for (const [name, file] of Object.entries(${JSON.stringify(modules)})) {
  try { (await import(file))[name](); } catch (error) { stacks[name] = error.stack; }
}
process.stdout.write(JSON.stringify(stacks));`;
  const run = await execa(process.execPath, ["--input-type=module", "-e", script]);
  return JSON.parse(run.stdout);
}

describe("mapStacksOnDemand", () => {
  it("names the source file and line of a bundled frame; a file without a map keeps its own", async () => {
    const dir = tempDir();
    const mapped = await bundledThrower(dir, "mapped");
    const unmapped = await bundledThrower(dir, "unmapped");
    rmSync(`${unmapped}.map`);
    const stacks = await stacksOf({
      mapped: pathToFileURL(mapped).href,
      unmapped: pathToFileURL(unmapped).href,
    });
    expect(stacks.mapped).toMatch(/^Error: from mapped\n {4}at Module.mapped \(/);
    expect(stacks.mapped).toContain(`${join(dir, "mapped.ts")}:2:9)`);
    expect(stacks.mapped).not.toContain("mapped.js");
    expect(stacks.unmapped).toContain(`${pathToFileURL(unmapped).href}:1:`);
    expect(stacks.unmapped).not.toContain("unmapped.ts");
  });
});

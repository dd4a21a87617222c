import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { type Harness, startHarness, TEST_SECRET } from "../support/engine-harness.js";

const scratch = mkdtempSync(join(tmpdir(), "replicas-client-package-"));
const app = join(scratch, "app");
let engine: Harness;

/**
 * A user's project: the packed package (the built dist, as `npm pack` ships it) installed from
 * its tarball, dependencies from the registry. Scripts are skipped (the client needs no native
 * build, and better-sqlite3's would take minutes); the import is what is tested.
 */
beforeAll(async () => {
  engine = await startHarness();
  const packed = await execa(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch],
    { cwd: packageRoot },
  );
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "scratch", private: true, type: "module" }),
  );
  await execa(
    "npm",
    [
      "install",
      join(scratch, filename),
      "--omit=dev",
      "--ignore-scripts",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
    ],
    { cwd: app },
  );
}, 240_000);
afterAll(async () => {
  await engine?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("replicas-engine/client, installed as a package", () => {
  it("imports from an .mjs file and talks to the engine; errors are EngineApiError", async () => {
    writeFileSync(
      join(app, "use.mjs"),
      `import { EngineApiError, EngineClient } from "replicas-engine/client";
const client = new EngineClient({ baseUrl: process.env.URL, secret: process.env.SECRET });
const status = await client.status();
const error = await client.getChat("nope").catch((e) => e);
let deep;
try {
  await import("replicas-engine/src/client/engine-client.js");
} catch (e) {
  deep = e.code;
}
console.log(JSON.stringify({
  epoch: status.epoch,
  isApiError: error instanceof EngineApiError,
  isError: error instanceof Error,
  name: error.name,
  status: error.status,
  code: error.code,
  deep,
}));
`,
    );
    const run = await execa(process.execPath, ["use.mjs"], {
      cwd: app,
      env: { URL: engine.url, SECRET: TEST_SECRET },
    });
    expect(JSON.parse(run.stdout)).toEqual({
      epoch: (await engine.client.status()).epoch,
      isApiError: true,
      isError: true,
      name: "EngineApiError",
      status: 404,
      code: "chat_not_found",
      // Only the entries of the exports map resolve.
      deep: "ERR_PACKAGE_PATH_NOT_EXPORTED",
    });
  });

  it("type-checks a TypeScript file against the package's declarations", async () => {
    writeFileSync(
      join(app, "use.ts"),
      `import { EngineApiError, EngineClient, type StreamItem } from "replicas-engine/client";

const client = new EngineClient({ baseUrl: "http://127.0.0.1:3210", secret: "s" });

export async function firstEvent(): Promise<string> {
  const created = await client.createChat({ provider: "claude" });
  // @ts-expect-error the provider is "claude" or "codex": the types are real, not any
  await client.createChat({ provider: "gemini" });
  for await (const item of client.events({ chatId: created.chat.chatId, after: created.position })) {
    const kind: StreamItem["kind"] = item.kind;
    if (item.kind === "event") return \`\${kind} \${item.event.type}\`;
  }
  const error = new EngineApiError(404, "chat_not_found", "no chat");
  // @ts-expect-error code is a string
  const wrong: number = error.code;
  return \`\${error.name} \${error.status} \${wrong}\`;
}
`,
    );
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2023",
          lib: ["ES2023"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          // tsc --init's default: the engine's internals behind the client types are not checked.
          skipLibCheck: true,
          typeRoots: [join(packageRoot, "node_modules", "@types")],
          types: ["node"],
        },
        files: ["use.ts"],
      }),
    );
    const checked = await execa(join(packageRoot, "node_modules", ".bin", "tsc"), ["-p", "."], {
      cwd: app,
      reject: false,
    });
    expect(checked.stdout + checked.stderr).toBe("");
    expect(checked.exitCode).toBe(0);
  });
});

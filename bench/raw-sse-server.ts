import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";

/**
 * The floor for SSE fan-out: a bare node:http server that holds every GET open and, on POST,
 * writes the frames of a file to each connection in pages of 256 frames (the engine's page
 * size), waiting for drain as the engine does; a GET with `?now` gets the frames at once.
 * Usage: raw-sse-server <frames file>
 */
const frames = readFileSync(process.argv[2] ?? "", "utf8").split(/(?<=\n\n)/);
const pages: string[] = [];
for (let i = 0; i < frames.length; i += 256) pages.push(frames.slice(i, i + 256).join(""));
const open = new Set<ServerResponse>();

async function pump(res: ServerResponse): Promise<void> {
  for (const page of pages) {
    if (!res.write(page)) await once(res, "drain");
  }
}

const server = createServer((req, res) => {
  if (req.method === "POST") {
    res.writeHead(204).end();
    for (const subscriber of open) pump(subscriber).catch(() => {});
    return;
  }
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  res.write("retry: 2000\n: epoch raw\n\n");
  if (req.url?.endsWith("?now")) {
    pump(res).catch(() => {});
    return;
  }
  open.add(res);
  res.once("close", () => open.delete(res));
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
process.once("SIGTERM", () => {
  for (const res of open) res.destroy();
  server.close(() => process.exit(0));
});

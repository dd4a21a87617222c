import { readFileSync } from "node:fs";
import { createServer } from "node:http";

/**
 * The floor for a JSON route: a bare node:http server sending the bytes of a file for any
 * request. Usage: bare-server <body file>
 */
const body = readFileSync(process.argv[2] ?? "");
const server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));

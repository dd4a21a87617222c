import { createInspectorServer } from "@statelyai/inspect/server";

/**
 * `npm run inspector`: the Stately inspector relay for developers. Engines started with
 * REPLICAS_INSPECT_URL=ws://127.0.0.1:<port> stream their actors to it; a browser on
 * http://localhost:<port> shows them. It listens on every interface: run it on a dev machine.
 */
const port = Number(process.env.REPLICAS_INSPECT_PORT ?? 8080);
createInspectorServer({ port, autoOpen: false });
process.stdout.write(`inspector relay on ws://127.0.0.1:${port}; open http://localhost:${port}\n`);

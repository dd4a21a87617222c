#!/usr/bin/env node
// The bundled command's entry (src/cli/bundle-cli.ts). Source maps first: Node maps the stack
// frames of the modules loaded after this call only, and the bundle's lines are not the sources'.
process.setSourceMapsEnabled(true);
await import("./main.js");

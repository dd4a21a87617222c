#!/usr/bin/env node
// The bundled command's entry (src/cli/bundle-cli.ts). Stack traces name the sources (the
// bundle's lines are not theirs), each chunk's map read when a trace first needs it.
import { mapStacksOnDemand } from "./source-mapped-stacks.js";

mapStacksOnDemand();
await import("./main.js");

// Preloaded with `node --import` in a child engine: every ES module the process loads (the
// bundle's chunks included) is appended to the file named by MODULE_LOG, one URL a line.
import { register } from "node:module";

register("./module-log-hooks.js", import.meta.url);

import { join } from "node:path";
import { packageRoot } from "../package-root.js";

/** Where the build puts the web inspector's files and the engine serves them from. */
export const uiDistDir = join(packageRoot, "dist", "ui");

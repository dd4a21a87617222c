export * from "./fake-anthropic-server.js";
export * from "./replies.js";

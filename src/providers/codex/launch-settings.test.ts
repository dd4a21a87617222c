import { describe, expect, test } from "vitest";
import { threadParams, turnStartParams } from "./launch-settings.js";

const hi = { text: "hi", attachments: [] };

describe("turn settings", () => {
  test("defaults inside the VM: full access, never ask", () => {
    expect(threadParams({}, "/w")).toEqual({
      cwd: "/w",
      approvalPolicy: "never",
      sandbox: "danger-full-access",
    });
    expect(turnStartParams("t", hi, {}, "/w")).toEqual({
      threadId: "t",
      input: [{ type: "text", text: "hi", text_elements: [] }],
      cwd: "/w",
      approvalPolicy: "never",
      sandboxPolicy: { type: "dangerFullAccess" },
    });
  });

  test("per-turn model, sandbox policy object and on-failure mapped to on-request", () => {
    const params = turnStartParams(
      "t",
      hi,
      { model: "gpt-x", sandbox: "workspace-write", approvalPolicy: "on-failure" },
      "/w",
    );
    expect(params).toMatchObject({
      model: "gpt-x",
      approvalPolicy: "on-request",
      sandboxPolicy: { type: "workspaceWrite", writableRoots: ["/w"], networkAccess: false },
    });
    expect(turnStartParams("t", hi, { sandbox: "read-only" }, "/w")).toMatchObject({
      sandboxPolicy: { type: "readOnly", networkAccess: false },
    });
  });

  test("attachments: images as localImage items, other files named in the text", () => {
    const attachments = [
      { id: "att_1", mediaType: "image/png", size: 3, name: "shot.png", path: "/blobs/ab" },
      { id: "att_2", mediaType: "text/plain", size: 5, name: "log.txt", path: "/w/log.txt" },
    ];
    expect(turnStartParams("t", { text: "look", attachments }, {}, "/w").input).toEqual([
      {
        type: "text",
        text: "look\n\nAttached files:\n- /w/log.txt (log.txt, text/plain, 5 bytes)",
        text_elements: [],
      },
      { type: "localImage", path: "/blobs/ab" },
    ]);
  });
});

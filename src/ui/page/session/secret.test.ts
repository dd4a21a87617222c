import { describe, expect, it } from "vitest";
import { secretFromFragment } from "./secret.js";

describe("secretFromFragment", () => {
  it("reads #secret= alone or among other fragment parameters, decoded", () => {
    expect(secretFromFragment("#secret=abc")).toBe("abc");
    expect(secretFromFragment("#view=chats&secret=a%2Bb&x=1")).toBe("a+b");
  });

  it("answers null without a secret, with an empty one or a malformed escape", () => {
    expect(secretFromFragment("")).toBeNull();
    expect(secretFromFragment("#/chats/secret=abc")).toBeNull();
    expect(secretFromFragment("#secret=")).toBeNull();
    expect(secretFromFragment("#secret=%E0%A4%A")).toBeNull();
  });
});

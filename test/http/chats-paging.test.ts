import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, TEST_SECRET } from "../support/engine-harness.js";
import { waitUntil } from "../support/wait-until.js";

let engine: Harness;
beforeAll(async () => {
  engine = await startHarness();
});
afterAll(() => engine.stop());

const page = async (query: { after?: number; limit?: number }) => {
  const answer = await engine.client.listChats(query);
  return { ids: answer.chats.map((c) => c.chatId), next: answer.next };
};

const get = (path: string) =>
  fetch(`${engine.url}${path}`, { headers: { "x-replicas-engine-secret": TEST_SECRET } });

// One engine for all: each test adds to the chats the ones before it made.
describe("GET /chats pages", () => {
  const made = ["zulu", "alpha", "mike", "bravo", "yankee", "charlie", "xray"];

  it("lists the chats in the order they were created, a page at a time, each once", async () => {
    // Ids out of alphabetical order: the list's order is creation, not the id.
    for (const chatId of made) await engine.client.createChat({ chatId, provider: "claude" });
    const first = await page({ limit: 3 });
    expect(first.ids).toEqual(["zulu", "alpha", "mike"]);
    expect(first.next).toEqual(expect.any(Number));
    const second = await page({ after: first.next ?? 0, limit: 3 });
    expect(second.ids).toEqual(["bravo", "yankee", "charlie"]);
    const last = await page({ after: second.next ?? 0, limit: 3 });
    expect(last).toEqual({ ids: ["xray"], next: null });
    // A page that ends exactly at the last chat says so.
    expect(await page({ limit: 7 })).toEqual({ ids: made, next: null });
    expect((await engine.client.allChats()).map((c) => c.chatId)).toEqual(made);
  });

  it("a cursor stays valid while chats are created and deleted: none skipped, none twice", async () => {
    const first = await page({ limit: 3 });
    await engine.client.deleteChat("alpha"); // on the page already read
    await engine.client.deleteChat("yankee"); // on the next page
    await engine.client.createChat({ chatId: "aaa-late", provider: "codex" });
    const rest: string[] = [];
    for (let after = first.next; after !== null; ) {
      const next = await page({ after, limit: 3 });
      rest.push(...next.ids);
      after = next.next;
    }
    expect([...first.ids, ...rest]).toEqual([
      "zulu",
      "alpha",
      "mike",
      "bravo",
      "charlie",
      "xray",
      "aaa-late",
    ]);
    // A page whose chats were all deleted after the cursor is skipped over, not answered empty.
    const afterMike = (await page({ limit: 3 })).next ?? 0;
    await engine.client.deleteChat("bravo");
    await engine.client.deleteChat("charlie");
    expect(await page({ after: afterMike, limit: 1 })).toEqual({
      ids: ["xray"],
      next: expect.any(Number),
    });
  });

  it("a page served twice at one position is the same bytes; a change shows on the next read", async () => {
    const one = await (await get("/chats?limit=2")).text();
    expect(await (await get("/chats?limit=2")).text()).toBe(one);
    expect(await (await get("/chats?limit=3")).text()).not.toBe(one);
    await engine.client.sendMessage("zulu", { text: "reply hello" });
    await waitUntil(
      async () => (await engine.client.listChats({ limit: 2 })).chats[0]?.counters.completed === 1,
      "the page shows the completed turn",
    );
  });

  it("holds 100 chats unless `limit` says otherwise, and at most 1,000", async () => {
    const before = (await engine.client.allChats()).length;
    for (let i = before; i < 120; i++)
      await engine.client.createChat({ chatId: `bulk-${i}`, provider: "claude" });
    const first = await engine.client.listChats();
    expect(first.chats).toHaveLength(100);
    expect(first.next).not.toBeNull();
    expect((await engine.client.listChats({ after: first.next ?? 0 })).chats).toHaveLength(20);
    expect(await engine.client.listChats({ limit: 1000 })).toMatchObject({ next: null });
    expect((await engine.client.listChats({ limit: 1000 })).chats).toHaveLength(120);
  });

  it.each([
    ["limit=0", "limit", "must be a whole number from 1 to 1000"],
    ["limit=1001", "limit", "must be a whole number from 1 to 1000"],
    ["limit=ten", "limit", "must be a whole number from 1 to 1000"],
    ["after=-1", "after", "must be a log position (a whole number)"],
    ["after=next", "after", "must be a log position (a whole number)"],
  ])("?%s is a 400 naming the parameter and its range", async (query, name, why) => {
    const res = await get(`/chats?${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: "invalid_query", message: `query: ${name}: ${why}` },
    });
  });

  it("an unknown parameter is a 400 naming it", async () => {
    const res = await get("/chats?cursor=5");
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("invalid_query");
    expect(body.error.message).toContain("cursor");
  });
});

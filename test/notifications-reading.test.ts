import { describe, expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/global-id.js";
import { type Credentials, errorCodes, useTestApi } from "./support/api.js";
import { freshUscc, freshUsername } from "./support/fixtures.js";
import { frontDoor } from "./support/front-door.js";

/**
 * Issue 12 item 4: reading notifications. Every account of the recipient unit sees a notice and keeps
 * its own read state; markNotificationsRead marks only the caller's own (all or nothing, idempotent);
 * pages are newest first. The notices come from enterprises registering in a county whose office
 * accounts each test creates, so the counts are exact.
 */
const setup = useTestApi();
const { read, mutate } = frontDoor(setup);
let serial = 0;
const unique = (text: string) => `${text}${Date.now().toString(36)}${serial++}`;

/** A new account of the office of a county (logged in). */
async function officeAccount(countyCode: string): Promise<Credentials> {
  const username = freshUsername("office");
  await mutate("createUser", { username, password: "office-pass-2020", role: "REVIEWER", divisionCode: countyCode }, "user { id }");
  const { token } = await mutate("login", { username, password: "office-pass-2020" }, "token", {});
  return { authorization: `Bearer ${token}` };
}

/** Registers an enterprise in a county (anonymously, as enterprises do); answers its name and ID. */
async function register(countyCode: string, prefix = "古丈毛尖茶业合作社") {
  const name = unique(prefix);
  const input = { name, uscc: freshUscc(countyCode), kind: "COOPERATIVE", countyCode, username: freshUsername("gz"), password: "register-pass-2020" };
  const { enterprise } = await mutate("registerEnterprise", input, "enterprise { id }", {});
  return { name, id: enterprise.id as string };
}

const PAGE = `totalCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor } nodes { id kind message read readAt subjectId }`;
const inbox = async (who: Credentials, args: { unreadOnly?: boolean; first?: number; after?: string; last?: number; before?: string } = {}) =>
  (await read(`query ($u: Boolean, $f: Int, $a: String, $l: Int, $b: String) { notifications(unreadOnly: $u, first: $f, after: $a, last: $l, before: $b) { ${PAGE} } }`,
    { u: args.unreadOnly, f: args.first, a: args.after, l: args.last, b: args.before }, who)).notifications;

const MARK = `mutation ($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { notifications { id read readAt } userErrors { code field message } } }`;
const mark = (who: Credentials, ids: string[]) => setup.api.run(MARK, { input: { ids } }, who);

describe("every account of the unit, each with its own read state", () => {
  it("shows a notice to both accounts of an office; one marking it read leaves it unread for the other", async () => {
    const [first, second] = [await officeAccount("433126"), await officeAccount("433126")];
    const enterprise = await register("433126");
    const [mine] = (await inbox(first)).nodes;
    expect(mine).toMatchObject({ kind: "ENTERPRISE_REGISTERED", read: false, readAt: null, subjectId: enterprise.id });
    expect((await inbox(second)).nodes[0].id).toBe(mine.id);

    const result = await mark(first, [mine.id]);
    expect(result.data.markNotificationsRead.userErrors).toEqual([]);
    const [marked] = result.data.markNotificationsRead.notifications;
    expect(marked).toMatchObject({ id: mine.id, read: true });
    expect(Date.parse(marked.readAt)).toBeGreaterThan(Date.now() - 60_000);

    expect((await inbox(first, { unreadOnly: true })).nodes.map((n: { id: string }) => n.id)).not.toContain(mine.id);
    expect((await inbox(first)).nodes[0]).toMatchObject({ id: mine.id, read: true, readAt: marked.readAt });
    expect((await inbox(second, { unreadOnly: true })).nodes.map((n: { id: string }) => n.id)).toContain(mine.id);
    expect((await inbox(second)).nodes[0]).toMatchObject({ id: mine.id, read: false, readAt: null });
  });

  it("marking again (or twice in one call) changes nothing: the first read time stays", async () => {
    const office = await officeAccount("433126");
    await register("433126");
    const [notice] = (await inbox(office, { unreadOnly: true })).nodes;
    const once = (await mark(office, [notice.id])).data.markNotificationsRead.notifications[0];
    const again = await mark(office, [notice.id, notice.id]);
    expect(again.data.markNotificationsRead).toEqual({ notifications: [{ id: notice.id, read: true, readAt: once.readAt }], userErrors: [] });
  });
});

describe("markNotificationsRead marks only the caller's own", () => {
  it("refuses another unit's notification (NOT_FOUND, naming its index) and marks nothing of the call", async () => {
    const office = await officeAccount("433126");
    const other = await officeAccount("433127");
    await register("433126");
    await register("433127", "永顺松柏椪柑合作社");
    const [own] = (await inbox(office, { unreadOnly: true })).nodes;
    const [others] = (await inbox(other, { unreadOnly: true })).nodes;

    const result = await mark(office, [own.id, others.id]);
    expect(result.errors).toBeUndefined();
    expect(result.data.markNotificationsRead.notifications).toBeNull();
    expect(result.data.markNotificationsRead.userErrors).toEqual([expect.objectContaining({ code: "NOT_FOUND", field: ["input", "ids", "1"] })]);
    expect((await inbox(office, { unreadOnly: true })).nodes.map((n: { id: string }) => n.id)).toContain(own.id);
    expect((await inbox(other, { unreadOnly: true })).nodes.map((n: { id: string }) => n.id)).toContain(others.id);

    for (const who of [setup.callers.credentials.admin, setup.callers.credentials.ownEnterprise, setup.callers.credentials.huayuanReviewer]) {
      const refused = await mark(who, [own.id]);
      expect(refused.data.markNotificationsRead.userErrors.map((e: { code: string }) => e.code)).toEqual(["NOT_FOUND"]);
    }
    expect((await inbox(office, { unreadOnly: true })).nodes.map((n: { id: string }) => n.id)).toContain(own.id);
  });

  it("node(id:) shows a notification to its recipient's accounts only", async () => {
    const office = await officeAccount("433126");
    await register("433126");
    const [notice] = (await inbox(office)).nodes;
    const NODE = `query ($id: ID!) { node(id: $id) { __typename id ... on Notification { kind subject { id } } } }`;
    expect((await read(NODE, { id: notice.id }, office)).node).toEqual({ __typename: "Notification", id: notice.id, kind: "ENTERPRISE_REGISTERED", subject: { id: notice.subjectId } });
    for (const who of [setup.callers.credentials.admin, setup.callers.credentials.baojingReviewer, setup.callers.credentials.officer]) {
      expect((await read(NODE, { id: notice.id }, who)).node).toBeNull();
    }
  });

  it("answers a malformed ID, or another type's, with BAD_USER_INPUT", async () => {
    const office = await officeAccount("433126");
    for (const id of ["not-an-id", toGlobalId("Product", "0b6f2a3e-4f1c-4d59-9a43-5f0c1e2d3b4a")]) {
      const result = await mark(office, [id]);
      expect(errorCodes(result)).toEqual(["BAD_USER_INPUT"]);
    }
    const tooMany = await mark(office, Array.from({ length: 101 }, () => toGlobalId("Notification", "0b6f2a3e-4f1c-4d59-9a43-5f0c1e2d3b4a")));
    expect(tooMany.data.markNotificationsRead.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "ids"] })]);
  });
});

describe("who may ask", () => {
  it.each(["anonymous", "partner"] as const)("%s gets UNAUTHENTICATED from both operations", async (caller) => {
    const who = setup.callers.credentials[caller];
    expect(errorCodes(await setup.api.run(`{ notifications { totalCount } }`, undefined, who))).toEqual(["UNAUTHENTICATED"]);
    expect(errorCodes(await mark(who, []))).toEqual(["UNAUTHENTICATED"]);
  });

  it("an admin is no one's recipient: an empty list", async () => {
    await register("433124");
    expect(await inbox(setup.callers.credentials.admin)).toMatchObject({ totalCount: 0, nodes: [] });
  });
});

describe("paging", () => {
  it("pages newest first with cursors, forwards and backwards, and with unreadOnly; counts exactly", async () => {
    const office = await officeAccount("433130");
    const registered: string[] = [];
    for (let i = 0; i < 5; i++) registered.push((await register("433130", "龙山百合专业合作社")).id);
    const newestFirst = [...registered].reverse();

    const seen: string[] = [];
    let page = await inbox(office, { first: 2 });
    expect(page.totalCount).toBe(5);
    for (;;) {
      seen.push(...page.nodes.map((n: { subjectId: string }) => n.subjectId));
      if (!page.pageInfo.hasNextPage) break;
      page = await inbox(office, { first: 2, after: page.pageInfo.endCursor });
      expect(page.pageInfo.hasPreviousPage).toBe(true);
    }
    expect(seen).toEqual(newestFirst);

    const oldest = await inbox(office, { last: 2 });
    expect(oldest.nodes.map((n: { subjectId: string }) => n.subjectId)).toEqual(newestFirst.slice(3));
    expect(oldest.pageInfo.hasPreviousPage).toBe(true);
    const beforeThem = await inbox(office, { last: 2, before: oldest.pageInfo.startCursor });
    expect(beforeThem.nodes.map((n: { subjectId: string }) => n.subjectId)).toEqual(newestFirst.slice(1, 3));

    // Mark the 2nd and 4th newest read: unreadOnly pages over the other three, in the same order.
    const all = (await inbox(office)).nodes;
    await mutate("markNotificationsRead", { ids: [all[1].id, all[3].id] }, "notifications { id }", office);
    const unreadFirst = await inbox(office, { unreadOnly: true, first: 2 });
    const unreadRest = await inbox(office, { unreadOnly: true, first: 2, after: unreadFirst.pageInfo.endCursor });
    expect(unreadFirst.totalCount).toBe(3);
    expect([...unreadFirst.nodes, ...unreadRest.nodes].map((n: { subjectId: string }) => n.subjectId)).toEqual([newestFirst[0], newestFirst[2], newestFirst[4]]);
    expect(unreadRest.pageInfo.hasNextPage).toBe(false);
  });

  it("costs the same number of SQL statements for 2 notices as for 6, subjects included (no query per notice)", async () => {
    const office = await officeAccount("433122");
    for (let i = 0; i < 6; i++) await register("433122", "泸溪椪柑合作社");
    const page = (first: number) =>
      setup.api.run(`query ($f: Int) { notifications(first: $f) { nodes { id kind subject { id ... on Enterprise { name county { name } } } } } }`, { f: first }, office);
    const [small, large] = [await page(2), await page(6)];
    expect(large.data.notifications.nodes.filter((n: { subject: unknown }) => n.subject)).toHaveLength(6);
    expect(large.statements).toBe(small.statements);
  });

  it("refuses first above 100 and a cursor of another list", async () => {
    const office = await officeAccount("433130");
    expect(errorCodes(await setup.api.run(`{ notifications(first: 101) { totalCount } }`, undefined, office))).toEqual(["BAD_USER_INPUT"]);
    const orders = await read(`{ orders(first: 1) { pageInfo { endCursor } } }`);
    const foreign = orders.orders.pageInfo.endCursor ?? Buffer.from(JSON.stringify(["CREATED_AT", "2020-06-01T00:00:00.000Z", "0b6f2a3e-4f1c-4d59-9a43-5f0c1e2d3b4a"])).toString("base64url");
    expect(errorCodes(await setup.api.run(`query ($a: String) { notifications(after: $a) { totalCount } }`, { a: foreign }, office))).toEqual(["BAD_USER_INPUT"]);
  });
});

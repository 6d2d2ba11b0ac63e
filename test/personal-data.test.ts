import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import { pino } from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { type CallerName } from "./support/actors.js";
import { useTestServer } from "./support/api.js";
import { freshIdNumber, gid, productInState } from "./support/fixtures.js";

const logLines: string[] = [];
const responses: string[] = [];
const ID_NUMBER = freshIdNumber("433124");
const HEAD_NAME = "龙先兰";

const sink = new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) });
const setup = useTestServer({
  config: parseConfig({ NODE_ENV: "test", LOG_LEVEL: "trace", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0", RATE_LIMIT_USER_PER_MINUTE: "0" }),
  logger: pino({ level: "trace" }, sink),
});

async function graphql(query: string, variables: Record<string, unknown>, caller: CallerName) {
  const c = setup.callers.credentials[caller];
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (c.authorization) headers.authorization = c.authorization;
  if (c.apiKey) headers["x-api-key"] = c.apiKey;
  const text = await (await fetch(`${setup.base}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables }) })).text();
  responses.push(text);
  return JSON.parse(text);
}

const HOUSEHOLDS = `{ households(first: 100) { nodes { householdNo headName headIdNumber village { name } } } }`;

describe("households' personal data", () => {
  let householdNo: string;
  let householdId: string;

  beforeAll(async () => {
    householdNo = `HY-${Date.now()}`;
    const created = await graphql(
      `mutation ($input: CreateHouseholdInput!) { createHousehold(input: $input) { household { id headName headIdNumber } userErrors { code message } } }`,
      { input: { householdNo, villageCode: "433124103201", headName: HEAD_NAME, headIdNumber: ID_NUMBER, members: 4, laborCapacity: true, developmentWillingness: true, status: "OUT_OF_POVERTY", exitYear: 2017 } },
      "huayuanReviewer",
    );
    expect(created.data.createHousehold.userErrors).toEqual([]);
    householdId = created.data.createHousehold.household.id;
  });

  it("refuses an ID number with a wrong check character, clearly", async () => {
    const wrong = ID_NUMBER.slice(0, 17) + (ID_NUMBER[17] === "1" ? "2" : "1");
    const result = await graphql(
      `mutation ($input: CreateHouseholdInput!) { createHousehold(input: $input) { household { id } userErrors { code message field } } }`,
      { input: { householdNo: `${householdNo}-x`, villageCode: "433124103201", headName: "张三", headIdNumber: wrong, members: 1, laborCapacity: true, developmentWillingness: true, status: "IN_POVERTY" } },
      "admin",
    );
    expect(result.data.createHousehold.userErrors[0]).toMatchObject({ code: "INVALID", field: ["input", "headIdNumber"] });
    expect(result.data.createHousehold.userErrors[0].message).toMatch(/校验码|check character/);
  });

  const views: [CallerName, "whole" | "masked" | "refused"][] = [
    ["admin", "whole"],
    ["huayuanReviewer", "whole"], // the household's own county office
    ["prefectureReviewer", "masked"], // sees the county's households, names masked
    ["baojingReviewer", "refused"], // another county: not in its jurisdiction (an empty list)
    ["ownEnterprise", "refused"],
    ["otherEnterprise", "refused"],
    ["officer", "refused"],
    ["partner", "refused"],
    ["anonymous", "refused"],
  ];

  it.each(views)("%s sees the head's name %s, and the ID number only masked", async (caller, expected) => {
    const result = await graphql(HOUSEHOLDS, {}, caller);
    if (expected === "refused") {
      const mine = result.data?.households?.nodes?.find((n: any) => n.householdNo === householdNo);
      expect(mine).toBeUndefined();
      if (caller !== "baojingReviewer") expect(["FORBIDDEN", "UNAUTHENTICATED"]).toContain(result.errors?.[0]?.extensions?.code);
      return;
    }
    const mine = result.data.households.nodes.find((n: any) => n.householdNo === householdNo);
    expect(mine.headName).toBe(expected === "whole" ? HEAD_NAME : "龙**");
    expect(mine.headIdNumber).toBe(`${ID_NUMBER.slice(0, 4)}**********${ID_NUMBER.slice(14)}`);
    const node = await graphql(`query ($id: ID!) { node(id: $id) { ... on Household { headName } } }`, { id: householdId }, caller);
    expect(node.data.node.headName).toBe(mine.headName);
  });

  it("lets an enterprise link a household by number plus ID number, and a mismatch reveals nothing", async () => {
    const product = await productInState(setup.tdb.database, setup.app.services, setup.callers.admin, setup.callers.ownEnterpriseId, "LISTED");
    const LINK = `mutation ($input: CreateBenefitLinkInput!) { createBenefitLink(input: $input) { benefitLink { id household { id } product { beneficiaryHouseholdCount } } userErrors { code message field } } }`;
    const base = { mechanism: "ORDER_PURCHASE", year: 2020, income: "3600.00", startDate: "2020-01-01", productId: gid.product(product.id) };
    const wrongId = await graphql(LINK, { input: { ...base, householdNo, headIdNumber: freshIdNumber("433124") } }, "ownEnterprise");
    const wrongNo = await graphql(LINK, { input: { ...base, householdNo: "HY-nope", headIdNumber: ID_NUMBER } }, "ownEnterprise");
    expect(wrongId.data.createBenefitLink.userErrors).toEqual(wrongNo.data.createBenefitLink.userErrors);
    expect(wrongId.data.createBenefitLink.userErrors[0].code).toBe("NOT_FOUND");
    const linked = await graphql(LINK, { input: { ...base, householdNo, headIdNumber: ID_NUMBER } }, "ownEnterprise");
    expect(linked.data.createBenefitLink.userErrors).toEqual([]);
    expect(linked.data.createBenefitLink.benefitLink.household).toBeNull(); // enterprises never see households
    expect(linked.data.createBenefitLink.benefitLink.product.beneficiaryHouseholdCount).toBe(1);
    const byHouseholdId = await graphql(LINK, { input: { ...base, householdId } }, "ownEnterprise");
    expect(byHouseholdId.errors[0].extensions.code).toBe("FORBIDDEN");
  });

  it("never puts the whole ID number in a response, a log line or the audit log", async () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(responses.join("\n")).not.toContain(ID_NUMBER);
    expect(logLines.join("\n")).not.toContain(ID_NUMBER);
    expect(logLines.join("\n")).not.toContain(HEAD_NAME); // names are never logged either
    const audit = await setup.tdb.database.rows<{ t: string }>(sql`select row_to_json(a)::text as t from audit_log a`);
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.map((r) => r.t).join("\n")).not.toContain(ID_NUMBER);
    const stored = await setup.tdb.database.rows<{ t: string }>(sql`select row_to_json(h)::text as t from households h`);
    expect(stored.map((r) => r.t).join("\n")).not.toContain(ID_NUMBER);
  });
});

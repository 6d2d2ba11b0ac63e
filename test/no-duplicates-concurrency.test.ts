import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fromGlobalId } from "../src/graphql/global-id.js";
import type { CallerName } from "./support/actors.js";
import { rootFieldOverHttp, useTestServer } from "./support/api.js";
import { onPostgres } from "./support/database.js";
import { freshIdNumber } from "./support/fixtures.js";

/**
 * Issue 10 item 5 under concurrency: requests racing each other over HTTP, each in its own
 * transaction on its own pooled connection, so a check in JavaScript alone would let several win.
 * Only PostgreSQL runs transactions in parallel (PGlite has one connection), hence PostgreSQL only.
 */
if (!onPostgres) console.log("no-duplicates concurrency tests skipped: set TEST_DATABASE_URL to run them on PostgreSQL (parallel transactions)");

const RACERS = 8;
const ROUNDS = 5;

describe.skipIf(!onPostgres)("no duplicates under concurrency (PostgreSQL)", () => {
  const setup = useTestServer();
  let serial = 0;

  const graphql = (query: string, variables: Record<string, unknown>, caller: CallerName) =>
    rootFieldOverHttp<{ userErrors: { code: string; field: string[] }[] } & Record<string, any>>(setup, query, variables, caller);

  const CREATE_HOUSEHOLD = `mutation ($input: CreateHouseholdInput!) { createHousehold(input: $input) { household { id } userErrors { code field } } }`;
  const householdInput = (headIdNumber: string) => ({
    householdNo: `433124-CC-${Date.now().toString(36)}-${serial++}`,
    villageCode: "433124103201",
    headName: "龙先兰",
    headIdNumber,
    members: 3,
    laborCapacity: true,
    developmentWillingness: true,
    status: "OUT_OF_POVERTY",
  });

  it(`lets exactly one of ${RACERS} households with one head's ID number be created at once (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const headIdNumber = freshIdNumber("433124");
      const callers: CallerName[] = ["huayuanReviewer", "prefectureReviewer", "admin"];
      const inputs = Array.from({ length: RACERS }, () => householdInput(headIdNumber));
      const results = await Promise.all(inputs.map((input, i) => graphql(CREATE_HOUSEHOLD, { input }, callers[i % callers.length]!)));
      const created = results.filter((r) => r.household);
      expect(created, `round ${round}`).toHaveLength(1);
      for (const loser of results.filter((r) => !r.household)) expect(loser.userErrors).toEqual([{ code: "DUPLICATE", field: ["input", "headIdNumber"] }]);
      const numbers = inputs.map((input) => input.householdNo);
      const rows = await setup.database.rows<{ id: string }>(sql`select id from households where household_no in (${sql.join(numbers.map((n) => sql`${n}`), sql`, `)})`);
      expect(rows.map((r) => r.id)).toEqual([fromGlobalId(created[0]!.household.id).key]);
    }
  });

  it(`lets exactly one of ${RACERS} overlapping links of one household, enterprise and mechanism be created at once (${ROUNDS} rounds)`, async () => {
    const LINK = `mutation ($input: CreateBenefitLinkInput!) { createBenefitLink(input: $input) { benefitLink { id } userErrors { code field } } }`;
    const me = await fetch(`${setup.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: setup.callers.credentials.ownEnterprise.authorization! },
      body: JSON.stringify({ query: `{ viewer { user { enterprise { id } } } }` }),
    });
    const enterpriseId = ((await me.json()) as any).data.viewer.user.enterprise.id as string;
    for (let round = 0; round < ROUNDS; round++) {
      const household = await graphql(CREATE_HOUSEHOLD, { input: householdInput(freshIdNumber("433124")) }, "admin");
      const householdId = household.household.id as string;
      // Different days, all sharing 2020-06-30; the county office and an admin race.
      const results = await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          graphql(LINK, {
            input: { householdId, enterpriseId, mechanism: "EMPLOYMENT", year: 2020, income: "1000.00", startDate: `2020-0${1 + (i % 6)}-01`, endDate: i % 2 ? null : "2020-12-31" },
          }, i % 2 ? "admin" : "huayuanReviewer"),
        ),
      );
      const created = results.filter((r) => r.benefitLink);
      expect(created, `round ${round}`).toHaveLength(1);
      for (const loser of results.filter((r) => !r.benefitLink)) expect(loser.userErrors).toEqual([{ code: "DUPLICATE", field: ["input", "startDate"] }]);
      const [row] = await setup.database.rows<{ n: number }>(sql`select count(*)::int as n from benefit_links where household_id = ${fromGlobalId(householdId).key}`);
      expect(row!.n).toBe(1);
    }
  });
});

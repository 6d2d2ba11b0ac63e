import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { rootFieldOverHttp, useTestServer } from "./support/api.js";
import type { CallerName } from "./support/actors.js";
import { onPostgres } from "./support/database.js";
import { freshIdNumber } from "./support/fixtures.js";

if (!onPostgres) console.log("household import concurrency tests skipped: set TEST_DATABASE_URL to run them on PostgreSQL (parallel transactions)");

const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", RATE_LIMIT_USER_PER_MINUTE: "0" });
const HEADER = "户编号,行政村代码,户主姓名,户主证件号码,家庭人口数,劳动能力,发展意愿,户状态,监测原因";
const 牛角山村 = "433126102201"; // 古丈县: the file's households
const 翁草村 = "433126102202"; // 古丈县: the one household both sides change

describe.skipIf(!onPostgres)("household import racing other writers (PostgreSQL)", () => {
  const setup = useTestServer({ config });

  const post = async (body: string, caller: CallerName = "admin") => {
    const response = await fetch(`${setup.base}/imports/households`, {
      method: "POST",
      headers: { authorization: setup.callers.credentials[caller].authorization!, "content-type": "text/csv" },
      body,
    });
    const text = await response.text();
    // Whatever happens, no driver or SQL text reaches the client.
    expect(text).not.toMatch(/households_|duplicate key|violates|deadlock|postgres|select |insert /i);
    return { status: response.status, body: JSON.parse(text) };
  };

  const csv = (rows: string[][]) => [HEADER, ...rows.map((r) => r.join(","))].join("\r\n");
  const filler = Array.from({ length: 3000 }, (_, i) => [`${牛角山村}-C${i}`, 牛角山村, "向春花", freshIdNumber("433126"), "3", "有", "有", "已脱贫", ""]);

  it("an import and a GraphQL edit of the same household, in any interleaving: both succeed and neither change is lost", async () => {
    const target = [`${翁草村}-C1`, 翁草村, "田秀英", freshIdNumber("433126"), "4", "有", "有", "已脱贫", ""];
    expect((await post(csv([...filler, target]))).status).toBe(200);
    const listed = await rootFieldOverHttp(setup, `query { households(filter: { villageCode: "${翁草村}" }) { nodes { id householdNo } } }`, {}, "admin");
    const householdId = listed.nodes.find((n: any) => n.householdNo === target[0]).id;

    for (const [round, delayMs] of [0, 20, 80, 200, 400].entries()) {
      const members = String(5 + round);
      const file = csv([...filler, [...target.slice(0, 4), members, ...target.slice(5)]]);
      const exitYear = 2015 + round;
      const editedName = `田秀英${"甲乙丙丁戊"[round]}`;
      const [imported, edited] = await Promise.all([
        post(file),
        new Promise((resolve) => setTimeout(resolve, delayMs)).then(() =>
          rootFieldOverHttp(
            setup,
            `mutation ($input: UpdateHouseholdInput!) { updateHousehold(input: $input) { household { id } userErrors { code message } } }`,
            { input: { householdId, exitYear, headName: editedName } },
            "admin",
          ),
        ),
      ]);
      expect(imported.status).toBe(200);
      expect(imported.body.errors).toEqual([]);
      expect(edited.userErrors).toEqual([]);
      const node = await rootFieldOverHttp(setup, `query ($id: ID!) { node(id: $id) { ... on Household { members exitYear headName } } }`, { id: householdId }, "admin");
      // The file decides the members; the edit's exit year (not in the file) survives whatever the order;
      // the name is the file's (import last) or the edit's (edit last): one of the two serial outcomes.
      expect(node.members).toBe(Number(members));
      expect(node.exitYear).toBe(exitYear);
      expect([target[2], editedName]).toContain(node.headName);
    }
  });

  it("two imports of the same new file at once: one inserts, the other finds every row unchanged", async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => [`${牛角山村}-D${i}`, 牛角山村, "彭大兵", freshIdNumber("433126"), "2", "无", "无", "已脱贫", ""]);
    const file = csv(rows);
    const [a, b] = await Promise.all([post(file), post(file)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const inserted = [a.body.inserted, b.body.inserted].sort();
    expect(inserted).toEqual([0, 1500]);
    expect(a.body.unchanged + b.body.unchanged).toBe(1500);
  });

  it("two imports racing to make one person head of two households: one wins, the other is refused with the line", async () => {
    const head = freshIdNumber("433126");
    const one = csv([...filler.slice(0, 1000), [`${牛角山村}-E1`, 牛角山村, "龙秀英", head, "1", "无", "无", "已脱贫", ""]]);
    const other = csv([...filler.slice(0, 1000), [`${牛角山村}-E2`, 牛角山村, "龙秀英", head, "1", "无", "无", "已脱贫", ""]]);
    const answers = await Promise.all([post(one), post(other)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 422]);
    const refused = answers.find((a) => a.status === 422)!;
    expect(refused.body.errors).toEqual([{ line: 1002, column: "户主证件号码", message: expect.stringContaining("已是户") }]);
  });
});

import { BUDGET_UNIT } from "../../seeds/budget-units.js";
import type { Command } from "../../src/actor.js";
import { actorOf } from "../../src/modules/accounts/index.js";
import type { Services } from "../../src/graphql/context.js";
import { demoAccounts, seedDemoAccounts } from "../../seeds/accounts.js";
import { E } from "../../seeds/demo.js";
import type { Database } from "../../src/db/client.js";
import type { Credentials } from "./api.js";

export const HUAYUAN = "433124";
export const BAOJING = "433125";

export type CallerName =
  | "anonymous"
  | "partner"
  | "admin"
  | "prefectureReviewer"
  | "huayuanReviewer"
  | "baojingReviewer"
  | "ownEnterprise"
  | "otherEnterprise"
  | "officer"
  | "otherOfficer";

export interface Callers {
  credentials: Record<CallerName, Credentials>;
  admin: Command;
  /** the enterprise the "own" enterprise user belongs to (花垣县) */
  ownEnterpriseId: string;
  otherEnterpriseId: string;
}

/** Logs in one caller of every kind (demo accounts plus a few more) and makes a partner key. */
export async function setUpCallers(database: Database, services: Services): Promise<Callers> {
  await seedDemoAccounts(database);
  const { user: adminRow } = await services.accounts.login("admin", passwordOf("admin"), "198.51.100.1", "test-setup");
  const admin: Command = { actor: actorOf(adminRow), requestId: "test-setup" };
  const extra = [
    { username: "baojing_reviewer", password: "baojing-reviewer-2020", role: "REVIEWER" as const, divisionCode: BAOJING },
    { username: "baojing_tea_user", password: "baojing-tea-user-2020", role: "ENTERPRISE" as const, enterpriseId: E.baojingTea },
    { username: "zhou_caizheng_officer", password: "officer-pass-2020", role: "OFFICER" as const, budgetUnitId: BUDGET_UNIT.caizheng },
    { username: "huayuan_caizheng_officer", password: "officer-pass-2020", role: "OFFICER" as const, budgetUnitId: BUDGET_UNIT.huayuanCaizheng },
  ];
  for (const u of extra) await services.accounts.createUser(admin, u);
  const token = async (username: string, password: string) =>
    `Bearer ${(await services.accounts.login(username, password, "198.51.100.1", "test-setup")).token}`;
  const { secret } = await services.apiKeys.createApiKey(admin, { name: "测试", partnerName: "扶贫832平台", scopes: ["CATALOG_READ"] });
  return {
    admin,
    ownEnterpriseId: E.shibadongFruit,
    otherEnterpriseId: E.baojingTea,
    credentials: {
      anonymous: {},
      partner: { apiKey: secret },
      admin: { authorization: await token("admin", passwordOf("admin")) },
      prefectureReviewer: { authorization: await token("zhou_reviewer", passwordOf("zhou_reviewer")) },
      huayuanReviewer: { authorization: await token("huayuan_reviewer", passwordOf("huayuan_reviewer")) },
      baojingReviewer: { authorization: await token("baojing_reviewer", "baojing-reviewer-2020") },
      ownEnterprise: { authorization: await token("shibadong_fruit", passwordOf("shibadong_fruit")) },
      otherEnterprise: { authorization: await token("baojing_tea_user", "baojing-tea-user-2020") },
      officer: { authorization: await token("zhou_caizheng_officer", "officer-pass-2020") },
      otherOfficer: { authorization: await token("huayuan_caizheng_officer", "officer-pass-2020") },
    },
  };
}

export function passwordOf(username: (typeof demoAccounts)[number]["username"]): string {
  return demoAccounts.find((a) => a.username === username)!.password;
}

import { eq, sql } from "drizzle-orm";
import { type Policy, jurisdictionCovers, jurisdictionPrefix } from "../../actor.js";
import { type BenefitLinkRow, benefitLinks } from "./benefit-link.schema.js";

/** 利益联结: offices see their jurisdiction's links, an enterprise its own, admins all; nobody else any. */
export const benefitLinkPolicy: Policy<BenefitLinkRow> = {
  scope(actor) {
    if (actor.kind !== "user") return null;
    if (actor.role === "ADMIN") return sql`true`;
    if (actor.role === "REVIEWER" && actor.divisionCode) return sql`${benefitLinks.countyCode} like ${`${jurisdictionPrefix(actor.divisionCode)}%`}`;
    if (actor.role === "ENTERPRISE" && actor.enterpriseId) return eq(benefitLinks.enterpriseId, actor.enterpriseId);
    return null;
  },
  may(actor, rows) {
    return rows.map((row) => {
      if (actor.kind !== "user") return false;
      if (actor.role === "ADMIN") return true;
      if (actor.role === "REVIEWER") return actor.divisionCode != null && jurisdictionCovers(actor.divisionCode, row.countyCode);
      return actor.role === "ENTERPRISE" && actor.enterpriseId != null && actor.enterpriseId === row.enterpriseId;
    });
  },
};

import { sql } from "drizzle-orm";
import type { Policy } from "../../actor.js";
import type { EnterpriseRow } from "./enterprise.schema.js";

/**
 * Who may see enterprises: everyone, for now (a public register of who supplies the catalog).
 * Issue 10 restricts the public to VERIFIED ones; the rule then changes here, and only here.
 */
export const enterprisePolicy: Policy<EnterpriseRow> = {
  scope: () => sql`true`,
  may: (_actor, rows) => rows.map(() => true),
};

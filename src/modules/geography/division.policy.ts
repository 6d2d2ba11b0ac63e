import { sql } from "drizzle-orm";
import type { Policy } from "../../actor.js";
import type { DivisionRow } from "./division.schema.js";

/** Who may see divisions: everyone (public reference data: the prefecture's places and their codes). */
export const divisionPolicy: Policy<DivisionRow> = {
  scope: () => sql`true`,
  may: (_actor, rows) => rows.map(() => true),
};

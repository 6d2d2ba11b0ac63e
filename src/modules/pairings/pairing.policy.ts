import { sql } from "drizzle-orm";
import type { Policy } from "../../actor.js";
import type { PairingRow } from "./pairing.schema.js";

/** 千企帮千村 pairings are public (enterprise, village, investments; no personal data): everyone sees them. */
export const pairingPolicy: Policy<PairingRow> = {
  scope: () => sql`true`,
  may: (_actor, rows) => rows.map(() => true),
};

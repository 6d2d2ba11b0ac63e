import { sql } from "drizzle-orm";
import type { Policy } from "../../actor.js";
import { enterpriseIsVerified } from "../enterprises/index.js";
import { type PairingRow, pairings } from "./pairing.schema.js";

/**
 * 千企帮千村 pairings are public (enterprise, village, investments; no personal data), but the public
 * sees VERIFIED enterprises only (enterprise.policy.ts), so anonymous callers and partners list the
 * pairings of VERIFIED enterprises only; logged-in users all of them. Loaded rows (`pairingById`) are
 * further checked against the enterprise's own policy in pairing.loaders.ts.
 */
export const pairingPolicy: Policy<PairingRow> = {
  scope: (actor) => (actor.kind === "user" ? sql`true` : enterpriseIsVerified(pairings.enterpriseId)),
  may: (_actor, rows) => rows.map(() => true),
};

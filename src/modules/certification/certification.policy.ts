import type { Actor } from "../../actor.js";
import type { UserRow } from "../accounts/index.js";

/** What a viewer learns of the person who took a certification step (`CertificationEvent.performedBy`). */
export interface CertificationActorView {
  role: UserRow["role"];
  /** a reviewer's office: the division it reviews for */
  officeCode: string | null;
  /** null unless the viewer may know who it was */
  username: string | null;
}

/**
 * Who took a certification step, as each viewer may know it. Everyone sees the role and, for a
 * reviewer, the office (its division): the public may know *which office* certified a product. The
 * username only the staff (admins, reviewers, officers), the person itself and the users of its own
 * enterprise; the public — anonymous callers, partners (API keys), other enterprises — never.
 * (`CertificationEvent.actor`, the account itself, stays with the User policy: admins and oneself.)
 */
export function certificationActorAsSeenBy(viewer: Actor, person: UserRow): CertificationActorView {
  return {
    role: person.role,
    officeCode: person.role === "REVIEWER" ? person.divisionCode : null,
    username: mayKnowUsername(viewer, person) ? person.username : null,
  };
}

function mayKnowUsername(viewer: Actor, person: UserRow): boolean {
  if (viewer.kind !== "user") return false;
  if (viewer.userId === person.id) return true;
  if (viewer.role === "ENTERPRISE") return person.enterpriseId != null && viewer.enterpriseId === person.enterpriseId;
  return true; // ADMIN, REVIEWER, OFFICER: staff of the offices
}

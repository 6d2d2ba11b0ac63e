import type { SQL } from "drizzle-orm";

/** Who performs an operation, as the services see it (no GraphQL here). */
export type Role = "ADMIN" | "REVIEWER" | "ENTERPRISE" | "OFFICER";

export interface UserActor {
  kind: "user";
  userId: string;
  username: string;
  role: Role;
  divisionCode: string | null;
  enterpriseId: string | null;
  budgetUnitId: string | null;
}

export interface ApiKeyActor {
  kind: "apiKey";
  apiKeyId: string;
  partnerName: string;
  scopes: string[];
}

export interface AnonymousActor {
  kind: "anonymous";
}

export type Actor = UserActor | ApiKeyActor | AnonymousActor;

export const anonymous: AnonymousActor = { kind: "anonymous" };

/** A write: who does it, and the request it belongs to (for the audit log). */
export interface Command {
  actor: Actor;
  requestId: string;
}

/**
 * Whether a jurisdiction (a division code) covers a place. Statistical codes are hierarchical:
 * 433100 (the prefecture) covers every 4331xx…; 433124 covers 433124… (its towns and villages).
 */
export function jurisdictionCovers(jurisdiction: string, placeCode: string): boolean {
  const prefix = jurisdictionPrefix(jurisdiction);
  return prefix.length > 0 && placeCode.startsWith(prefix);
}

/** The code prefix every place in a jurisdiction starts with (433100 → 4331, 433124 → 433124). */
export function jurisdictionPrefix(jurisdiction: string): string {
  return jurisdiction.replace(/(00)+$/, "");
}

export function isAdmin(actor: Actor): actor is UserActor {
  return actor.kind === "user" && actor.role === "ADMIN";
}

/** An admin, or a reviewer whose division covers the place. */
export function mayReviewIn(actor: Actor, placeCode: string): boolean {
  if (actor.kind !== "user") return false;
  if (actor.role === "ADMIN") return true;
  return actor.role === "REVIEWER" && actor.divisionCode != null && jurisdictionCovers(actor.divisionCode, placeCode);
}

export const PREFECTURE = "433100";

export function isPrefectureReviewer(actor: Actor): boolean {
  return actor.kind === "user" && (actor.role === "ADMIN" || (actor.role === "REVIEWER" && actor.divisionCode === PREFECTURE));
}

export function actorIds(actor: Actor): { actorUserId: string | null; actorApiKeyId: string | null } {
  return {
    actorUserId: actor.kind === "user" ? actor.userId : null,
    actorApiKeyId: actor.kind === "apiKey" ? actor.apiKeyId : null,
  };
}

/**
 * Who may see the rows of one type (`<m>.policy.ts`): the two questions side by side, so a list and
 * a single row are decided by the same rule. Every path to a row goes through it: lists use `scope`,
 * everything else (node/nodes, relation fields, payloads, indicator rows) loads through a guarded
 * DataLoader that applies `may`.
 */
export interface Policy<Row> {
  /** The rows an actor may list, as a SQL condition; null when it may not list them at all (FORBIDDEN). */
  scope(actor: Actor): SQL | null;
  /** Which of these loaded rows the actor may see, for a whole batch at once (no query per row). */
  may(actor: Actor, rows: readonly Row[]): boolean[] | Promise<boolean[]>;
}

/**
 * A row a mutation has just written, as its payload shows it: through the type's policy (null when
 * the caller may not see it). Not through the loaders, whose cache may hold the row as it was before.
 */
export async function asSeenBy<Row>(policy: Policy<Row>, actor: Actor, row: Row): Promise<Row | null> {
  const [visible] = await policy.may(actor, [row]);
  return visible ? row : null;
}

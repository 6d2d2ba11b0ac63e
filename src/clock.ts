/**
 * The platform's clock helpers: one home for "today", so every module reckons days the same way.
 * The database runs in UTC and so do these.
 */

/** Today's date in UTC, "YYYY-MM-DD" (the database runs in UTC too). */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

-- Hand-written (a backfill and a data correction, which drizzle-kit cannot express).
-- 1. Every existing quota gets its declaration as its first revision: as declared (declared_at), by
--    whoever the audit log says last declared it (null if unknown).
INSERT INTO "quota_revisions" ("quota_id", "canteen_food_total", "reserved_amount", "no_canteen", "actor_user_id", "at")
SELECT q."id", q."canteen_food_total", q."reserved_amount", q."no_canteen",
       (SELECT a."actor_user_id" FROM "audit_log" a
        WHERE a."entity_type" = 'Quota' AND a."entity_id" = q."id"::text AND a."operation" = 'declareQuota'
        ORDER BY a."at" DESC, a."id" DESC LIMIT 1),
       q."declared_at"
FROM "quotas" q;--> statement-breakpoint
-- 2. Declarations the new rules (next migration's CHECKs) refuse are corrected, each correction a
--    revision of its own (no actor: the migration), so the history shows what was declared and what
--    it became. 无食堂 means a reserved share of 0 (and no canteen total); a share above the canteen
--    total raises the total to the share (the unit's commitment and its completion rate stay).
WITH corrected AS (
  UPDATE "quotas"
  SET "reserved_amount" = CASE WHEN "no_canteen" THEN 0 ELSE "reserved_amount" END,
      "canteen_food_total" = CASE WHEN "no_canteen" THEN 0 ELSE "reserved_amount" END,
      "declared_at" = now(),
      "version" = "version" + 1
  WHERE ("no_canteen" AND ("reserved_amount" <> 0 OR "canteen_food_total" <> 0))
     OR (NOT "no_canteen" AND "reserved_amount" > "canteen_food_total")
  RETURNING "id", "canteen_food_total", "reserved_amount", "no_canteen", "declared_at")
INSERT INTO "quota_revisions" ("quota_id", "canteen_food_total", "reserved_amount", "no_canteen", "actor_user_id", "at")
SELECT "id", "canteen_food_total", "reserved_amount", "no_canteen", NULL, "declared_at" FROM corrected;

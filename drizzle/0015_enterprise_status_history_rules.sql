-- Hand-written backfill: the status history begins with this migration, so every enterprise already
-- VERIFIED or SUSPENDED gets the rows its status implies (no actor: nobody wrote them now).
-- When it was verified is not known: the row is dated at the earliest of its registration and the
-- start of its first pairing or benefit link (midnight China time), so indicators "as of" a past day
-- count its pairings and links as they did before the history existed. Its kind as it stands is taken
-- as the confirmed one. A SUSPENDED enterprise is taken to have been verified the same way, then
-- suspended at its last update (the reason, if any, is in the audit log).
WITH first_seen AS (
  SELECT e.id, e.kind, e.status, e.updated_at,
         least(
           e.created_at,
           (SELECT min(p.start_date)::timestamp AT TIME ZONE 'Asia/Shanghai' FROM pairings p WHERE p.enterprise_id = e.id),
           (SELECT min(l.start_date)::timestamp AT TIME ZONE 'Asia/Shanghai' FROM benefit_links l WHERE l.enterprise_id = e.id)
         ) AS verified_at
  FROM enterprises e
  WHERE e.status IN ('VERIFIED', 'SUSPENDED')
)
INSERT INTO enterprise_status_history (enterprise_id, status, kind, reason, actor_user_id, at)
SELECT id, 'VERIFIED'::enterprise_status, kind, '历史补录 backfilled: verified before the status history was kept', NULL::uuid, verified_at FROM first_seen
UNION ALL
SELECT id, 'SUSPENDED'::enterprise_status, kind, '历史补录 backfilled: suspended before the status history was kept (see the audit log)', NULL::uuid,
       greatest(updated_at, verified_at + interval '1 millisecond')
FROM first_seen WHERE status = 'SUSPENDED';

-- Hand-written (drizzle-kit cannot express triggers): the budget-unit tree stays a tree.
-- A change of parent takes one transaction-level advisory lock on the whole tree, so parent changes
-- run one at a time, then walks the new parent's ancestors in a fresh snapshot (a VOLATILE function
-- sees what the previous holder committed); meeting the unit itself would make a cycle: refused as
-- a check violation named budget_units_no_cycle (the service turns it into INVALID on parentId).
-- The walk uses UNION (not UNION ALL) so it ends even if a cycle were already there.
CREATE OR REPLACE FUNCTION budget_units_refuse_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.parent_id IS NULL THEN
    RETURN NEW;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('budget_units.tree', 0));
  IF EXISTS (
    WITH RECURSIVE ancestors(id) AS (
      SELECT NEW.parent_id
      UNION
      SELECT b.parent_id FROM budget_units b JOIN ancestors a ON b.id = a.id WHERE b.parent_id IS NOT NULL)
    SELECT 1 FROM ancestors WHERE id = NEW.id)
  THEN
    RAISE EXCEPTION 'budget unit % would be its own ancestor', NEW.id
      USING ERRCODE = '23514', CONSTRAINT = 'budget_units_no_cycle';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER budget_units_no_cycle BEFORE UPDATE OF parent_id ON budget_units
  FOR EACH ROW WHEN (NEW.parent_id IS DISTINCT FROM OLD.parent_id) EXECUTE FUNCTION budget_units_refuse_cycle();

-- The certified price of products certified before it was stored: their current unit price.
UPDATE "products" SET "certified_unit_price" = "unit_price"
WHERE "status" IN ('CERTIFIED', 'LISTED') AND "certified_unit_price" IS NULL;

/**
 * The benchmark's baseline: the first catalog page (50 rows, default order) from ONE hand-written
 * SQL statement through postgres.js, served by a plain node:http server, in the same JSON shape
 * as the GraphQL query
 *   catalog(first: 50) { edges { node { id name unitPrice enterprise { name county { name } } } } }
 *
 * POST /catalog -> {"data":{"catalog":{"edges":[...]}}}; GET /readyz -> 200 when the database answers.
 * POST /partner -> the partner sync page of bench/catalog-queries.ts (PARTNER_QUERY), also ONE statement:
 *   20 fields per product, the page's relations joined, 带贫人数 as a correlated count (links active
 *   today, of enterprises not suspended: on the bench's data, where no status changes, the same set
 *   as the API's status history gives), hasNextPage from a 51st row, the end cursor as the API encodes it.
 * Env: DATABASE_URL (required), PORT (0 = any free port), HOST (default 127.0.0.1), DB_POOL_SIZE (10).
 * Prints one JSON line {"msg":"listening","url":...,"port":...} on stdout once bound.
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("raw-catalog-server: DATABASE_URL is required");
  process.exit(1);
}
const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? "127.0.0.1";
const poolSize = Number(process.env.DB_POOL_SIZE ?? 10);

const sql = postgres(url, {
  max: poolSize,
  onnotice: () => {},
  connection: { application_name: "xiangxi-fupin-bench-raw", TimeZone: "UTC" },
});

interface CatalogRow {
  id: string;
  name: string;
  unit_price: string;
  enterprise_name: string;
  county_name: string;
}

/** Same rows and order as CatalogService.catalogPage with DEFAULT_PRODUCT_ORDER and `inCatalog`. */
function firstCatalogPage() {
  return sql<CatalogRow[]>`
    select p.id, p.name, p.unit_price, e.name as enterprise_name, d.name as county_name
    from products p
    join enterprises e on e.id = p.enterprise_id
    join divisions d on d.code = e.county_code
    where p.status = 'LISTED' and p.valid_until >= (now() at time zone 'UTC')::date
    order by p.updated_at desc, p.id desc
    limit 50`;
}

interface PartnerRow {
  id: string;
  catalog_no: string;
  name: string;
  brand: string | null;
  category: string;
  spec: string;
  unit: string;
  unit_price: string;
  status: string;
  batch: string | null;
  valid_from: string;
  valid_until: string;
  available_supply: number;
  annual_supply_capacity: number;
  updated_at: string;
  image_urls: string[];
  enterprise_name: string;
  origin_county_name: string;
  origin_village_name: string | null;
  households: number;
}

/** The partner page: 51 rows (the 51st says there is a next page). */
function partnerPage() {
  return sql<PartnerRow[]>`
    select p.id, p.catalog_no, p.name, p.brand, p.category, p.spec, p.unit, p.unit_price, p.status, p.batch,
           p.valid_from::text as valid_from, p.valid_until::text as valid_until, p.available_supply, p.annual_supply_capacity,
           to_char(p.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at, p.image_urls,
           e.name as enterprise_name, oc.name as origin_county_name, ov.name as origin_village_name,
           (select count(distinct l.household_id)::int from benefit_links l
             where l.product_id = p.id and l.start_date <= (now() at time zone 'Asia/Shanghai')::date
               and (l.end_date is null or l.end_date >= (now() at time zone 'Asia/Shanghai')::date)
               and not exists (select 1 from enterprises s where s.id = l.enterprise_id and s.status = 'SUSPENDED')) as households
    from products p
    join enterprises e on e.id = p.enterprise_id
    join divisions oc on oc.code = p.origin_county_code
    left join divisions ov on ov.code = p.origin_village_code
    where p.status = 'LISTED' and p.valid_until >= (now() at time zone 'UTC')::date and e.status = 'VERIFIED'
    order by p.updated_at desc, p.id desc
    limit 51`;
}

function toGlobalId(type: string, key: string): string {
  return Buffer.from(`${type}:${key}`, "utf8").toString("base64url");
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  if (path === "/readyz") {
    await sql`select 1`;
    return send(res, 200, '{"status":"ready"}');
  }
  if (path === "/catalog" && req.method === "POST") {
    req.resume(); // the body (the GraphQL-like request) is not needed
    const rows = await firstCatalogPage();
    const edges = rows.map((r) => ({
      node: {
        id: toGlobalId("Product", r.id),
        name: r.name,
        unitPrice: r.unit_price,
        enterprise: { name: r.enterprise_name, county: { name: r.county_name } },
      },
    }));
    return send(res, 200, JSON.stringify({ data: { catalog: { edges } } }));
  }
  if (path === "/partner" && req.method === "POST") {
    req.resume();
    const rows = await partnerPage();
    const page = rows.slice(0, 50);
    const last = page[page.length - 1];
    const edges = page.map((r) => ({
      node: {
        id: toGlobalId("Product", r.id),
        catalogNo: r.catalog_no,
        name: r.name,
        brand: r.brand,
        category: r.category,
        spec: r.spec,
        unit: r.unit,
        unitPrice: r.unit_price,
        status: r.status,
        batch: r.batch,
        validFrom: r.valid_from,
        validUntil: r.valid_until,
        availableSupply: r.available_supply,
        annualSupplyCapacity: r.annual_supply_capacity,
        updatedAt: r.updated_at,
        imageUrls: r.image_urls,
        enterprise: { name: r.enterprise_name },
        originCounty: { name: r.origin_county_name },
        originVillage: r.origin_village_name === null ? null : { name: r.origin_village_name },
        beneficiaryHouseholdCount: r.households,
      },
    }));
    const endCursor = last ? Buffer.from(JSON.stringify(["UPDATED_AT", last.updated_at, last.id]), "utf8").toString("base64url") : null;
    return send(res, 200, JSON.stringify({ data: { catalog: { pageInfo: { hasNextPage: rows.length > 50, endCursor }, edges } } }));
  }
  send(res, 404, '{"error":"not found"}');
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    console.error("raw-catalog-server: request failed:", error instanceof Error ? error.message : error);
    if (!res.headersSent) send(res, 500, '{"error":"internal"}');
    else res.destroy();
  });
});

server.listen(port, host, () => {
  const bound = (server.address() as AddressInfo).port;
  console.log(JSON.stringify({ msg: "listening", url: `http://${host}:${bound}/catalog`, port: bound }));
});

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  sql.end({ timeout: 2 }).finally(() => process.exit(0));
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

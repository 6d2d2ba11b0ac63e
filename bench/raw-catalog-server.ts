/**
 * The benchmark's baseline: the first catalog page (50 rows, default order) from ONE hand-written
 * SQL statement through postgres.js, served by a plain node:http server, in the same JSON shape
 * as the GraphQL query
 *   catalog(first: 50) { edges { node { id name unitPrice enterprise { name county { name } } } } }
 *
 * POST /catalog -> {"data":{"catalog":{"edges":[...]}}}; GET /readyz -> 200 when the database answers.
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

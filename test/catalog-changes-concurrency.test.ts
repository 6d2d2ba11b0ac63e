import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUDGET_UNIT } from "../seeds/budget-units.js";
import { createServices } from "../src/app.js";
import type { Services } from "../src/graphql/context.js";
import { toGlobalId } from "../src/graphql/global-id.js";
import type { ProductRow } from "../src/modules/catalog/index.js";
import { testConfig } from "./support/api.js";
import { type Callers, setUpCallers } from "./support/actors.js";
import { type TestDatabase, onPostgres, openTestDatabase, outboxSettled } from "./support/database.js";
import { gid, productInState } from "./support/fixtures.js";
import { type ServerProcess, startServerProcess } from "./support/server-process.js";

if (!onPostgres) console.log("catalog feed concurrency test skipped: set TEST_DATABASE_URL to run it on PostgreSQL (2 server processes)");

const JWT_SECRET = "shared-secret-of-the-two-feed-replicas-0123456789";

/**
 * Issue 12 Tests: feed completeness under concurrency. Two server processes on one PostgreSQL take
 * hundreds of concurrent listings, edits, revocations and orders (transactions committing out of
 * sequence order across replicas) while one reader pages `catalogChanges` all along: it sees every
 * change exactly once, none skipped, each product's changes in commit order.
 */
describe.skipIf(!onPostgres)("catalogChanges under concurrency: 2 server processes on one PostgreSQL", () => {
  let tdb: TestDatabase;
  let servers: ServerProcess[] = [];
  let services: Services;
  let callers: Callers;

  beforeAll(async () => {
    tdb = await openTestDatabase();
    services = createServices(tdb.database, { ...testConfig, JWT_SECRET });
    callers = await setUpCallers(tdb.database, services);
    const env = {
      DATABASE_URL: tdb.url!,
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      JWT_SECRET,
      DB_POOL_SIZE: "10",
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0",
      RATE_LIMIT_USER_PER_MINUTE: "0",
      STATEMENT_TIMEOUT_MS: "30000",
    };
    const started = await Promise.allSettled([0, 1].map(() => startServerProcess(env, 200_000)));
    servers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }, 300_000);

  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill("SIGTERM");
    await Promise.all(servers.map((s) => s.exited));
    await tdb?.drop();
  });

  let calls = 0;
  const call = async (query: string, variables: Record<string, unknown>, authorization?: string) => {
    const response = await fetch(`${servers[calls++ % servers.length]!.baseUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as any;
  };

  const FEED = `query ($after: String) { catalogChanges(after: $after, first: 100) {
    edges { node { id sequence kind reason catalogNo fields } } pageInfo { hasNextPage endCursor } } }`;
  const LIST = `mutation ($input: ListProductsInput!) { listProducts(input: $input) { products { id } userErrors { code } } }`;
  const UPDATE = `mutation ($input: UpdateProductInput!) { updateProduct(input: $input) { product { id } userErrors { code } } }`;
  const REVOKE = `mutation ($input: RevokeCertificationInput!) { revokeCertification(input: $input) { product { id } userErrors { code } } }`;
  const RESERVE = `mutation ($input: ReservePurchaseInput!) { reservePurchase(input: $input) { order { id } userErrors { code } } }`;

  interface Change {
    id: string;
    sequence: string;
    kind: string;
    reason: string | null;
    catalogNo: string;
    fields: string[];
  }

  it("hands every change to a reader paging all along exactly once, none skipped, each product's in commit order", async () => {
    const admin = callers.credentials.admin.authorization!;
    const prefecture = callers.credentials.prefectureReviewer.authorization!;
    const officer = callers.credentials.officer.authorization!;
    const make = (state: "CERTIFIED" | "LISTED", n: number) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          productInState(tdb.database, services, callers.admin, callers.ownEnterpriseId, state, { name: `十八洞猕猴桃 并发${state}${i}`, availableSupply: 1000 }),
        ),
      );
    const certified: ProductRow[] = [];
    const listed: ProductRow[] = [];
    for (let round = 0; round < 5; round++) {
      certified.push(...(await make("CERTIFIED", 30)));
      listed.push(...(await make("LISTED", 20)));
    }

    // The reader's starting point, as a partner takes it before its full sync (once the set-up's own
    // changes are in the feed: see outboxSettled).
    await outboxSettled(tdb.database);
    const start = (await call(`{ catalogChanges(first: 0) { pageInfo { endCursor } } }`, {})).data.catalogChanges.pageInfo.endCursor as string;
    expect(start).toBeTruthy();

    const seen: Change[] = [];
    let stormOver = false;
    const reader = (async () => {
      let after = start;
      for (;;) {
        const page = await call(FEED, { after });
        expect(page.errors).toBeUndefined();
        const { edges, pageInfo } = page.data.catalogChanges;
        seen.push(...edges.map((e: { node: Change }) => e.node));
        after = pageInfo.endCursor;
        if (edges.length === 0) {
          if (stormOver) return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    })();

    // The storm: 150 listings, 100 edits, 50 revocations racing half the edits, 100 orders; shuffled, all at once.
    const work: (() => Promise<{ kind: string; productId: string; ok: boolean }>)[] = [];
    const outcome = (kind: string, productId: string) => (r: any) => {
      const payload = r.data && (Object.values(r.data)[0] as { userErrors: { code: string }[] });
      expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      return { kind, productId, ok: payload.userErrors.length === 0 };
    };
    for (const p of certified) work.push(() => call(LIST, { input: { productIds: [gid.product(p.id)], batch: "并发批次" } }, prefecture).then(outcome("ADDED", p.id)));
    listed.forEach((p, i) => {
      work.push(() =>
        call(UPDATE, { input: { productId: gid.product(p.id), expectedVersion: p.version, description: `第${i}次改描述` } }, admin).then(outcome("UPDATED", p.id)),
      );
      if (i % 2 === 0) work.push(() => call(REVOKE, { input: { productId: gid.product(p.id), reason: "抽检不合格" } }, prefecture).then(outcome("REMOVED", p.id)));
      work.push(() =>
        call(RESERVE, { input: { budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng), productId: gid.product(p.id), quantity: 1, idempotencyKey: `feed-storm-${p.id}` } }, officer).then(
          outcome("ORDER", p.id),
        ),
      );
    });
    for (let i = work.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [work[i], work[j]] = [work[j]!, work[i]!];
    }
    // 32 requests in flight at a time (listings queue on the county's catalog-number row; a loaded
    // machine must not turn that queue into statement timeouts).
    const outcomes: Awaited<ReturnType<(typeof work)[number]>>[] = [];
    let next = 0;
    try {
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < work.length) outcomes.push(await work[next++]!());
        }),
      );
    } finally {
      await outboxSettled(tdb.database); // every storm transaction has ended, as the feed judges it
      stormOver = true; // the reader stops at its next empty page, also when the storm failed
    }
    await reader;

    // Exactly once, none skipped: the reader's changes are the committed catalog events after `start`, in the feed's order.
    const [position, seq] = start.split("-");
    const committed = await tdb.database.rows<{ cursor: string }>(
      sql`select position::text || '-' || seq::text as cursor from outbox_events
          where topic = 'catalog.changed' and (position, seq) > (${position}::xid8, ${seq}::bigint) order by position, seq`,
    );
    expect(new Set(seen.map((c) => c.id)).size).toBe(seen.length);
    expect(seen.map((c) => c.sequence)).toEqual(committed.map((r) => r.cursor));

    // Every successful change is there, and nothing else of these products; per product in commit order.
    const ok = outcomes.filter((o) => o.ok);
    const catalogNoOf = new Map<string, string>();
    for (const p of [...certified, ...listed]) {
      const [row] = await services.catalog.productsByIds([p.id]);
      if (row?.catalogNo) catalogNoOf.set(p.id, row.catalogNo);
    }
    const kindsOf = (productId: string) => seen.filter((c) => c.catalogNo === catalogNoOf.get(productId)).map((c) => c.kind);
    for (const p of certified) expect(kindsOf(p.id)).toEqual(ok.some((o) => o.productId === p.id && o.kind === "ADDED") ? ["ADDED"] : []);
    for (const p of listed) {
      const edited = ok.some((o) => o.productId === p.id && o.kind === "UPDATED");
      const revoked = ok.some((o) => o.productId === p.id && o.kind === "REMOVED");
      // An edit after the revocation is refused, so an edit that succeeded committed before it.
      expect(kindsOf(p.id)).toEqual([...(edited ? ["UPDATED"] : []), ...(revoked ? ["REMOVED"] : [])]);
    }
    expect(ok.filter((o) => o.kind === "ADDED")).toHaveLength(150);
    expect(ok.filter((o) => o.kind === "REMOVED")).toHaveLength(50);
    expect(ok.filter((o) => o.kind === "ORDER").length).toBeGreaterThan(0);
    expect(seen.filter((c) => c.kind === "REMOVED" && c.reason === "REVOKED")).toHaveLength(50);
    const updates = seen.filter((c) => c.kind === "UPDATED");
    expect(updates.length).toBe(ok.filter((o) => o.kind === "UPDATED").length);
    expect(updates.every((c) => c.fields.join() === "description")).toBe(true);
    console.info(
      `feed under concurrency: ${seen.length} changes read in order by one reader while ${work.length} requests ran on 2 replicas ` +
        `(${ok.filter((o) => o.kind === "UPDATED").length} edits succeeded, ${outcomes.length - ok.length} requests refused)`,
    );
  }, 300_000);
});

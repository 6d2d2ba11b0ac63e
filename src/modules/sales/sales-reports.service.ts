import { createHash } from "node:crypto";
import { type SQL, and, eq, sql } from "drizzle-orm";
import { type Actor, type Command, type Policy, PREFECTURE, jurisdictionCovers } from "../../actor.js";
import { businessToday } from "../../clock.js";
import type { Database, Drizzle } from "../../db/client.js";
import { PgCode, pgConstraint, pgErrorCode } from "../../db/errors.js";
import { type Page, type PageArgs, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { ForbiddenError, UnauthenticatedError, UserErrorCode, UserFacingError, UserFacingErrors } from "../../errors.js";
import { fenToYuan, yuanToFen } from "../../money.js";
import { keyHasScope } from "../api-keys/index.js";
import type { AuditService } from "../audit/index.js";
import { catalogEntriesByNumbers } from "../catalog/index.js";
import { listingLastDayOn, unitPricesOnDay } from "../certification/index.js";
import { suspendedOnDay } from "../enterprises/index.js";
import { type SalesReportRow, salesLines, salesReports } from "./sales.schema.js";

export type SalesChannelValue = "E_COMMERCE" | "EAST_WEST_COOPERATION" | "PAIRED_ASSISTANCE" | "FAIR" | "OTHER";

export interface NewSalesLine {
  catalogNo: string;
  quantity: number;
  amount: string;
  soldOn: string;
  channel: SalesChannelValue;
  buyerRegion?: string | undefined;
}

export interface NewSalesReport {
  idempotencyKey: string;
  /** an earlier report of the same reporter that this one replaces */
  corrects?: string | undefined;
  lines: NewSalesLine[];
}

/** Who reports: a partner key with SALES_REPORT, or an office (fairs of its jurisdiction; admins: every county). */
interface Reporter {
  reporter: string;
  apiKeyId: string | null;
  userId: string | null;
  name: string;
  /** an office's jurisdiction (division code); null for a partner */
  office: string | null;
}

/** One catalog entry a line names. */
interface Entry extends Record<string, unknown> {
  id: string;
  catalog_no: string;
  unit_price: string;
  origin_county_code: string;
  enterprise_id: string;
  valid_from: string | null;
  valid_until: string | null;
}

type Raw = Record<string, unknown>;
const rowsOf = (result: unknown): Raw[] => (Array.isArray(result) ? result : ((result as { rows?: Raw[] }).rows ?? [])) as Raw[];
const dateText = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : value == null ? null : String(value));

function reporterOf(actor: Actor): Reporter {
  if (actor.kind === "anonymous") throw new UnauthenticatedError("Report sales with a partner key (X-Api-Key, scope SALES_REPORT) or as an office");
  if (actor.kind === "apiKey") {
    if (!keyHasScope(actor, "SALES_REPORT")) throw new ForbiddenError("This API key lacks the SALES_REPORT scope");
    return { reporter: `apiKey:${actor.apiKeyId}`, apiKeyId: actor.apiKeyId, userId: null, name: actor.partnerName, office: null };
  }
  if (actor.role === "ADMIN") return { reporter: `user:${actor.userId}`, apiKeyId: null, userId: actor.userId, name: PREFECTURE, office: PREFECTURE };
  if (actor.role === "REVIEWER" && actor.divisionCode) {
    return { reporter: `user:${actor.userId}`, apiKeyId: null, userId: actor.userId, name: actor.divisionCode, office: actor.divisionCode };
  }
  throw new ForbiddenError("Partners (a key with SALES_REPORT) and poverty offices (fairs) report sales");
}

function requestHash(input: NewSalesReport): string {
  const lines = input.lines.map((l) => [l.catalogNo, l.quantity, yuanToFen(l.amount).toString(), l.soldOn, l.channel, l.buyerRegion ?? null]);
  return createHash("sha256").update(JSON.stringify([input.corrects ?? null, lines])).digest("hex");
}

/** |amount − quantity × price| ≤ quantity × price × band, exactly, in fen. */
function plausibleAmount(amountFen: bigint, quantity: number, priceFen: bigint, band: { numerator: bigint; denominator: bigint }): boolean {
  const expected = priceFen * BigInt(quantity);
  const diff = amountFen > expected ? amountFen - expected : expected - amountFen;
  return diff * band.denominator <= expected * band.numerator;
}

function ratio(text: string): { numerator: bigint; denominator: bigint } {
  const [whole, decimals = ""] = text.split(".");
  return { numerator: BigInt(whole! + decimals), denominator: 10n ** BigInt(decimals.length) };
}

const byCreated: SortKey<SalesReportRow> = {
  name: "CREATED_AT",
  expression: sql`${salesReports.createdAt}`,
  valueOf: (row) => row.createdAt.toISOString(),
  parameter: cursorParameter.timestamp,
};

/** Who may see a sales report: its reporter; admins and the prefecture office every one. */
export const salesReportPolicy: Policy<SalesReportRow> = {
  scope(actor) {
    if (actor.kind === "apiKey") return sql`${salesReports.reporter} = ${`apiKey:${actor.apiKeyId}`}`;
    if (actor.kind !== "user") return null;
    if (actor.role === "ADMIN" || (actor.role === "REVIEWER" && actor.divisionCode === PREFECTURE)) return sql`true`;
    if (actor.role === "REVIEWER") return sql`${salesReports.reporter} = ${`user:${actor.userId}`}`;
    return null;
  },
  may(actor, rows) {
    const everyOne = actor.kind === "user" && (actor.role === "ADMIN" || (actor.role === "REVIEWER" && actor.divisionCode === PREFECTURE));
    const own = actor.kind === "apiKey" ? `apiKey:${actor.apiKeyId}` : actor.kind === "user" && actor.role === "REVIEWER" ? `user:${actor.userId}` : null;
    return rows.map((row) => everyOne || row.reporter === own);
  },
};

/**
 * 销售报送: partners' (and offices') reports of sales of catalog products. A report is one
 * transaction: every line checked against the catalog as it stood on the line's day, then the header
 * and all lines written with one set-based INSERT, audited. Idempotency is the database's: the
 * header is unique per (reporter, key), and a concurrent duplicate waits for the first and finds it.
 */
export class SalesReportsService {
  readonly policy = salesReportPolicy;
  private readonly band: { numerator: bigint; denominator: bigint };

  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    /** SALES_PRICE_BAND: how far an amount may stray from quantity × unit price, e.g. "0.30" */
    readonly priceBand = "0.30",
    /** LISTING_VALIDITY_YEARS: how long a listing that has since been renewed lasted */
    private readonly listingValidityYears = 2,
  ) {
    this.band = ratio(priceBand);
  }

  async report(command: Command, input: NewSalesReport): Promise<{ report: SalesReportRow; replayed: boolean }> {
    const reporter = reporterOf(command.actor);
    const hash = requestHash(input);
    const earlier = await this.replayOf(reporter, input.idempotencyKey, hash);
    if (earlier) return { report: earlier, replayed: true };
    try {
      return await this.database.transaction((tx) => this.write(tx, command, reporter, input, hash));
    } catch (error) {
      if (pgErrorCode(error) === PgCode.uniqueViolation && pgConstraint(error) === "sales_reports_corrects_key") {
        throw new UserFacingError(UserErrorCode.INVALID_TRANSITION, "corrects: that report has already been corrected by another report", ["input", "corrects"]);
      }
      throw error;
    }
  }

  private async write(tx: Drizzle, command: Command, reporter: Reporter, input: NewSalesReport, hash: string) {
    if (input.corrects) await this.checkCorrectable(tx, reporter, input.corrects);
    const productIds = await this.checkLines(tx, reporter, input.lines);
    const totalFen = input.lines.reduce((sum, l) => sum + yuanToFen(l.amount), 0n);
    // ON CONFLICT on the key only: a concurrent request with the same key waits for the first to
    // commit, then inserts nothing; the report it made is then visible to the next statement.
    const [inserted] = await tx
      .insert(salesReports)
      .values({
        reporter: reporter.reporter,
        reporterApiKeyId: reporter.apiKeyId,
        reporterUserId: reporter.userId,
        reporterName: reporter.name,
        idempotencyKey: input.idempotencyKey,
        requestHash: hash,
        correctsId: input.corrects ?? null,
        lineCount: input.lines.length,
        totalAmount: fenToYuan(totalFen),
      })
      .onConflictDoNothing({ target: [salesReports.reporter, salesReports.idempotencyKey] })
      .returning();
    if (!inserted) {
      const replay = await this.replayOf(reporter, input.idempotencyKey, hash, tx);
      if (!replay) throw new Error("sales report: idempotency conflict without a row");
      return { report: replay, replayed: true };
    }
    if (input.corrects) await this.supersede(tx, command, reporter, input.corrects, inserted.id);
    if (input.lines.length > 0) {
      const json = JSON.stringify(
        input.lines.map((l, i) => ({ line_no: i, product_id: productIds[i], quantity: l.quantity, amount: l.amount, sold_on: l.soldOn, channel: l.channel, buyer_region: l.buyerRegion ?? null })),
      );
      await tx.execute(sql`
        insert into ${salesLines} (report_id, line_no, product_id, quantity, amount, sold_on, channel, buyer_region)
        select ${inserted.id}::uuid, l.line_no, l.product_id, l.quantity, l.amount, l.sold_on, l.channel::sales_channel, l.buyer_region
        from jsonb_to_recordset(${json}::jsonb)
             as l(line_no int, product_id uuid, quantity int, amount numeric(14, 2), sold_on date, channel text, buyer_region varchar(100))`);
    }
    const channels = [...new Set(input.lines.map((l) => l.channel))].sort();
    await this.audit.record(tx, command, {
      operation: "reportSales",
      entityType: "SalesReport",
      entityId: inserted.id,
      after: {
        reporter: reporter.reporter,
        idempotencyKey: inserted.idempotencyKey,
        correctsId: inserted.correctsId,
        lineCount: inserted.lineCount,
        totalAmount: inserted.totalAmount,
        channels,
      },
    });
    return { report: inserted, replayed: false };
  }

  /** The earlier report under this key: the same request is a replay; another request is a conflict. */
  private async replayOf(reporter: Reporter, key: string, hash: string, tx: Drizzle = this.database.db): Promise<SalesReportRow | undefined> {
    const [row] = await tx
      .select()
      .from(salesReports)
      .where(and(eq(salesReports.reporter, reporter.reporter), eq(salesReports.idempotencyKey, key)));
    if (!row) return undefined;
    if (row.requestHash !== hash) {
      throw new UserFacingError(UserErrorCode.IDEMPOTENCY_CONFLICT, "idempotencyKey: already used for a different report", ["input", "idempotencyKey"]);
    }
    return row;
  }

  /** The report to correct must be the reporter's own and still count (checked again, atomically, by `supersede`). */
  private async checkCorrectable(tx: Drizzle, reporter: Reporter, correctsId: string): Promise<void> {
    const [row] = await tx.select().from(salesReports).where(eq(salesReports.id, correctsId));
    if (!row || row.reporter !== reporter.reporter) {
      throw new UserFacingError(UserErrorCode.NOT_FOUND, "corrects: no report of yours with this ID", ["input", "corrects"]);
    }
    if (row.supersededById) {
      throw new UserFacingError(UserErrorCode.INVALID_TRANSITION, "corrects: that report has already been corrected by another report", ["input", "corrects"]);
    }
  }

  /** Marks the corrected report superseded: only the reporter's own, only once (a conditional UPDATE). */
  private async supersede(tx: Drizzle, command: Command, reporter: Reporter, correctsId: string, byId: string): Promise<void> {
    const [done] = await tx
      .update(salesReports)
      .set({ supersededById: byId, supersededAt: new Date() })
      .where(and(eq(salesReports.id, correctsId), eq(salesReports.reporter, reporter.reporter), sql`${salesReports.supersededById} is null`))
      .returning({ id: salesReports.id });
    if (!done) {
      const [row] = await tx.select().from(salesReports).where(eq(salesReports.id, correctsId));
      if (!row || row.reporter !== reporter.reporter) {
        throw new UserFacingError(UserErrorCode.NOT_FOUND, "corrects: no report of yours with this ID", ["input", "corrects"]);
      }
      throw new UserFacingError(UserErrorCode.INVALID_TRANSITION, "corrects: that report has already been corrected by another report", ["input", "corrects"]);
    }
    await this.audit.record(tx, command, {
      operation: "reportSales",
      entityType: "SalesReport",
      entityId: correctsId,
      before: { supersededById: null },
      after: { supersededById: byId },
    });
  }

  /**
   * Every line against the catalog: the product exists, was listed on the line's day (its last
   * certification step by then) within the listing then in force (an earlier listing's validity when the
   * product has been listed again since) and its enterprise not suspended; the day is not
   * in the future; the amount is plausible; an office reports its jurisdiction's fairs only. Two
   * statements whatever the number of lines. Returns each line's product id.
   */
  private async checkLines(tx: Drizzle, reporter: Reporter, lines: NewSalesLine[]): Promise<string[]> {
    if (lines.length === 0) return [];
    const today = businessToday();
    const entries = new Map<string, Entry>();
    for (const row of rowsOf(await tx.execute(catalogEntriesByNumbers([...new Set(lines.map((l) => l.catalogNo))])))) {
      entries.set(String(row.catalog_no), { ...(row as Entry), valid_from: dateText(row.valid_from), valid_until: dateText(row.valid_until) });
    }
    if (reporter.office) {
      const outside = lines.findIndex((l) => {
        const entry = entries.get(l.catalogNo);
        return entry && !jurisdictionCovers(reporter.office!, entry.origin_county_code);
      });
      if (outside >= 0) throw new ForbiddenError(`An office reports sales of its own county's products only (line ${outside}: ${lines[outside]!.catalogNo})`);
    }
    const days = new Map<string, { product_id: string; enterprise_id: string; sold_on: string; valid_from: string | null; valid_until: string | null }>();
    for (const l of lines) {
      const entry = entries.get(l.catalogNo);
      if (entry && l.soldOn <= today) {
        days.set(`${entry.id} ${l.soldOn}`, { product_id: entry.id, enterprise_id: entry.enterprise_id, sold_on: l.soldOn, valid_from: entry.valid_from, valid_until: entry.valid_until });
      }
    }
    const standing = new Map<string, { listedUntil: string | null; suspended: boolean; prices: string[] }>();
    if (days.size > 0) {
      const result = await tx.execute(sql`
        select d.product_id::text as product_id, d.sold_on::text as sold_on,
               ${listingLastDayOn(sql`d.product_id`, sql`d.sold_on`, sql`d.valid_from`, sql`d.valid_until`, this.listingValidityYears)}::text as listed_until,
               ${suspendedOnDay(sql`d.enterprise_id`, sql`d.sold_on`)} as suspended,
               ${unitPricesOnDay(sql`d.product_id`, sql`d.sold_on`)} as prices
        from jsonb_to_recordset(${JSON.stringify([...days.values()])}::jsonb) as d(product_id uuid, enterprise_id uuid, sold_on date, valid_from date, valid_until date)`);
      for (const row of rowsOf(result)) {
        const prices = String(row.prices ?? "").split(",").filter(Boolean);
        standing.set(`${row.product_id} ${dateText(row.sold_on)}`, { listedUntil: dateText(row.listed_until), suspended: Boolean(row.suspended), prices });
      }
    }
    const errors: UserFacingError[] = [];
    const fail = (index: number, field: string, code: UserErrorCode, message: string) => {
      if (errors.length < 100) errors.push(new UserFacingError(code, `lines.${index}.${field}: ${message}`, ["input", "lines", String(index), field]));
    };
    const ids = lines.map((l, index) => {
      if (reporter.office && l.channel !== "FAIR") fail(index, "channel", UserErrorCode.INVALID, "offices report FAIR sales only (partners report the other channels)");
      if (l.soldOn > today) {
        fail(index, "soldOn", UserErrorCode.INVALID, `is in the future (today is ${today}, China time)`);
        return "";
      }
      const entry = entries.get(l.catalogNo);
      if (!entry) {
        fail(index, "catalogNo", UserErrorCode.NOT_FOUND, `no product has the catalog number ${l.catalogNo}`);
        return "";
      }
      const day = standing.get(`${entry.id} ${l.soldOn}`);
      // Listed that day, within the listing then in force (an earlier one when the product was listed again since).
      if (!day?.listedUntil || l.soldOn > day.listedUntil) fail(index, "soldOn", UserErrorCode.NOT_CERTIFIED, `${l.catalogNo} was not in the catalog on ${l.soldOn}`);
      else if (day.suspended) fail(index, "soldOn", UserErrorCode.NOT_CERTIFIED, `${l.catalogNo}'s enterprise was suspended on ${l.soldOn}, so it was out of the catalog`);
      // The price today, and every price the product had on the day sold (its recorded price changes):
      // a sale at the price of its day is plausible even after the price moved.
      const prices = [...new Set([entry.unit_price, ...(day?.prices ?? [])].map((p) => yuanToFen(p)))];
      if (!prices.some((price) => plausibleAmount(yuanToFen(l.amount), l.quantity, price, this.band))) {
        const expected = prices.map((price) => `${l.quantity} × ${fenToYuan(price)} = ${fenToYuan(price * BigInt(l.quantity))}`).join("; ");
        fail(index, "amount", UserErrorCode.INVALID, `${l.amount} is not within ${this.percent()} % of quantity × unit price (${expected})`);
      }
      return entry.id;
    });
    if (errors.length > 0) throw new UserFacingErrors(errors);
    return ids;
  }

  private percent(): string {
    const hundredths = (this.band.numerator * 10_000n) / this.band.denominator;
    const rest = String(hundredths % 100n).padStart(2, "0").replace(/0+$/, "");
    return rest ? `${hundredths / 100n}.${rest}` : String(hundredths / 100n);
  }

  async reportsByIds(ids: readonly string[]): Promise<SalesReportRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(salesReports).where(sql`${salesReports.id} = any(${sql.param([...ids])}::uuid[])`);
  }

  /** The reports the caller may see, newest first. */
  async page(actor: Actor, args: PageArgs): Promise<Page<SalesReportRow>> {
    const scope = this.policy.scope(actor);
    if (!scope) throw new ForbiddenError("Partners with SALES_REPORT, offices and admins list sales reports");
    const plan = planPage(args, byCreated, "DESC", sql`${salesReports.id}`, cursorParameter.uuid);
    const rows = await this.database.db
      .select()
      .from(salesReports)
      .where(and(scope, ...plan.conditions))
      .orderBy(...plan.orderBy)
      .limit(plan.limit);
    return pageFromRows(rows, plan, args, byCreated, (row) => row.id);
  }

  async count(actor: Actor): Promise<number> {
    const scope = this.policy.scope(actor);
    if (!scope) return 0;
    const [row] = await this.database.db.select({ n: sql<number>`count(*)::int` }).from(salesReports).where(scope as SQL);
    return Number(row?.n ?? 0);
  }
}

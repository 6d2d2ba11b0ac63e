import { type SQL, sql } from "drizzle-orm";
import { type Actor, type Command, jurisdictionPrefix, mayReviewIn } from "../../actor.js";
import { businessToday } from "../../clock.js";
import type { Database } from "../../db/client.js";
import { type Page, type PageArgs, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { ForbiddenError, UserErrorCode, UserFacingError } from "../../errors.js";
import type { AuditService } from "../audit/index.js";
import { DATA_QUALITY_RULES, type DataQualityRuleName, RULES, type RuleParameters } from "./data-quality.rules.js";
import { dataQualityResolutions } from "./data-quality.schema.js";

export type IssueStatus = "OPEN" | "CORRECTED" | "CONFIRMED_VALID";

/** One issue: a rule and the record it fired on (or fired on, until it was corrected). */
export interface IssueRow {
  rule: DataQualityRuleName;
  recordId: string;
  recordType: string;
  countyCode: string;
  detail: string;
  status: IssueStatus;
  resolution: "CORRECTED" | "CONFIRMED_VALID" | null;
  comment: string | null;
  resolvedAt: Date | null;
}

export interface IssueFilter {
  rule?: DataQualityRuleName;
  /** one county (undefined: every county the caller may see) */
  countyCode?: string;
  status?: IssueStatus;
}

export interface SummaryRow {
  rule: DataQualityRuleName;
  countyCode: string;
  open: number;
}

const byRule: SortKey<IssueRow> = {
  name: "RULE",
  expression: sql`i.rule collate "C"`,
  valueOf: (row) => row.rule,
  parameter: cursorParameter.text,
};

/** 疑似问题数据: suspicious records found by named SQL rules, and their resolutions. */
export class DataQualityService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly maxLinkIncome: string,
  ) {}

  private parameters(): RuleParameters {
    return { today: businessToday(), maxLinkIncome: this.maxLinkIncome };
  }

  /**
   * Admins and the prefecture office see every county, a county office its own; nobody else any. A
   * condition on a county column, applied inside every rule's statement (so a county office's query
   * reads its county only, not every county's records).
   */
  private scope(actor: Actor): (county: SQL) => SQL {
    if (actor.kind === "user" && actor.role === "ADMIN") return () => sql`true`;
    if (actor.kind === "user" && actor.role === "REVIEWER" && actor.divisionCode) {
      const prefix = `${jurisdictionPrefix(actor.divisionCode)}%`;
      return (county) => sql`${county} like ${prefix}`;
    }
    throw new ForbiddenError("Data-quality issues are for the poverty-alleviation offices and admins");
  }

  /** The caller's scope and the filter's county, as one condition on a county column. */
  private counties(actor: Actor, countyCode: string | undefined): (county: SQL) => SQL {
    const scope = this.scope(actor);
    return countyCode ? (county) => sql`(${scope(county)} and ${county} = ${countyCode})` : scope;
  }

  /** Every issue of the rules, firing or corrected, with its status; `recordId` narrows to one record. */
  private issues(rules: readonly DataQualityRuleName[], counties: (county: SQL) => SQL, recordId?: string): SQL {
    const p = this.parameters();
    const only = recordId ? sql` and s.record_id = ${recordId}::uuid` : sql``;
    const firing = sql.join(
      rules.map((rule) => sql`select ${rule}::text as rule, s.record_id, ${RULES[rule].recordType}::text as record_type, s.county_code::text as county_code,
        s.detail::text as detail, s.fingerprint::text as fingerprint from (${RULES[rule].source(p)}) s where s.fires and ${counties(sql`s.county_code`)}${only}`),
      sql` union all `,
    );
    const ruleNames = sql.join(rules.map((rule) => sql`${rule}::text`), sql`, `);
    const onlyResolved = recordId ? sql` and r.record_id = ${recordId}::uuid` : sql``;
    return sql`with firing as (${firing})
      select f.rule, f.record_id, f.record_type, f.county_code, f.detail,
        case when r.resolution = 'CONFIRMED_VALID' and r.fingerprint = f.fingerprint then 'CONFIRMED_VALID' else 'OPEN' end as status,
        r.resolution, r.comment, r.resolved_at
        from firing f left join ${dataQualityResolutions} r on r.rule = f.rule and r.record_id = f.record_id
      union all
      select r.rule, r.record_id, r.record_type, r.county_code, r.detail, 'CORRECTED', r.resolution, r.comment, r.resolved_at
        from ${dataQualityResolutions} r
        where r.resolution = 'CORRECTED' and r.rule in (${ruleNames}) and ${counties(sql`r.county_code`)}${onlyResolved}
          and not exists (select 1 from firing f where f.rule = r.rule and f.record_id = r.record_id)`;
  }

  private statusIs(filter: IssueFilter): SQL {
    return sql`i.status = ${filter.status ?? "OPEN"}`;
  }

  async page(actor: Actor, filter: IssueFilter, args: PageArgs): Promise<Page<IssueRow>> {
    const counties = this.counties(actor, filter.countyCode);
    const plan = planPage(args, byRule, "ASC", sql`i.record_id`, cursorParameter.uuid);
    const rules = filter.rule ? [filter.rule] : DATA_QUALITY_RULES;
    const rows = await this.database.db.execute(sql`select * from (${this.issues(rules, counties)}) i
      where ${sql.join([this.statusIs(filter), ...plan.conditions], sql` and `)}
      order by ${sql.join(plan.orderBy, sql`, `)} limit ${plan.limit}`);
    return pageFromRows(rowsOf(rows).map(issueOf), plan, args, byRule, (row) => row.recordId);
  }

  async count(actor: Actor, filter: IssueFilter): Promise<number> {
    const rules = filter.rule ? [filter.rule] : DATA_QUALITY_RULES;
    const rows = await this.database.db.execute(sql`select count(*)::int as count from (${this.issues(rules, this.counties(actor, filter.countyCode))}) i
      where ${this.statusIs(filter)}`);
    return Number(rowsOf(rows)[0]?.count ?? 0);
  }

  /** Open issues by rule and county, for the dashboard. */
  async summary(actor: Actor, countyCode: string | undefined): Promise<SummaryRow[]> {
    const counties = this.counties(actor, countyCode);
    const rows = await this.database.db.execute(sql`select i.rule, i.county_code, count(*)::int as open from (${this.issues(DATA_QUALITY_RULES, counties)}) i
      where i.status = 'OPEN' group by i.rule, i.county_code order by i.rule collate "C", i.county_code`);
    return rowsOf(rows).map((r) => ({ rule: r.rule as DataQualityRuleName, countyCode: String(r.county_code), open: Number(r.open) }));
  }

  /** One issue by its key, as the caller may see it (null: none, or not the caller's county). */
  async issue(actor: Actor, rule: DataQualityRuleName, recordId: string): Promise<IssueRow | null> {
    let scope: (county: SQL) => SQL;
    try {
      scope = this.scope(actor);
    } catch {
      return null;
    }
    const rows = await this.database.db.execute(sql`select * from (${this.issues([rule], scope, recordId)}) i`);
    const row = rowsOf(rows)[0];
    return row ? issueOf(row) : null;
  }

  /**
   * CORRECTED: the rule must no longer fire for the record. CONFIRMED_VALID: the issue stays silent until
   * the record changes (its fingerprint is stored). By the record's county office, the prefecture or an
   * admin; audited in the same transaction. Resolutions of one issue take turns (advisory lock).
   */
  async resolve(command: Command, input: { rule: DataQualityRuleName; recordId: string; resolution: "CORRECTED" | "CONFIRMED_VALID"; comment: string }): Promise<IssueRow> {
    const { rule, recordId, resolution, comment } = input;
    const actor = command.actor;
    if (actor.kind !== "user" || (actor.role !== "ADMIN" && actor.role !== "REVIEWER")) throw new ForbiddenError("Only the offices and admins resolve data-quality issues");
    const notFound = () => new UserFacingError(UserErrorCode.NOT_FOUND, "issueId: no such issue (or it is not visible to you)", ["input", "issueId"]);
    await this.database.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`data-quality:${rule}:${recordId}`}, 0))`);
      const [record] = rowsOf(await tx.execute(sql`select s.county_code::text as county_code, s.fingerprint::text as fingerprint, s.detail::text as detail, s.fires
        from (${RULES[rule].source(this.parameters())}) s where s.record_id = ${recordId}::uuid`));
      if (!record) throw notFound();
      const countyCode = String(record.county_code);
      if (!mayReviewIn(actor, countyCode)) throw notFound();
      const fires = record.fires === true || record.fires === "t";
      const [previous] = await tx.select().from(dataQualityResolutions)
        .where(sql`${dataQualityResolutions.rule} = ${rule} and ${dataQualityResolutions.recordId} = ${recordId}::uuid`);
      if (resolution === "CORRECTED" && fires) {
        throw new UserFacingError(UserErrorCode.INVALID, "规则仍然触发 The rule still fires for this record: correct the record first", ["input", "resolution"]);
      }
      if (resolution === "CONFIRMED_VALID" && !fires) {
        throw new UserFacingError(UserErrorCode.INVALID, "The rule no longer fires for this record: resolve it as CORRECTED", ["input", "resolution"]);
      }
      const values = {
        rule,
        recordId,
        recordType: RULES[rule].recordType,
        countyCode,
        resolution,
        fingerprint: String(record.fingerprint),
        detail: String(record.detail ?? previous?.detail ?? ""),
        comment,
        resolvedBy: actor.userId,
        resolvedAt: new Date(),
      };
      const [after] = await tx.insert(dataQualityResolutions).values(values)
        .onConflictDoUpdate({ target: [dataQualityResolutions.rule, dataQualityResolutions.recordId], set: values })
        .returning();
      await this.audit.record(tx, command, {
        operation: "resolveDataQualityIssue",
        // On the record itself (an issue's key, rule and UUID, is longer than the log's entity IDs): the
        // record's audit trail shows who confirmed or corrected it; the rule is in the changes.
        entityType: RULES[rule].recordType,
        entityId: recordId,
        before: previous ?? undefined,
        after,
      });
    });
    const issue = await this.issue(actor, rule, recordId);
    if (!issue) throw notFound();
    return issue;
  }
}

type Raw = Record<string, unknown>;

/** Rows of `execute` on either driver (postgres.js gives an array, PGlite `{ rows }`). */
function rowsOf(result: unknown): Raw[] {
  return (Array.isArray(result) ? result : ((result as { rows?: Raw[] }).rows ?? [])) as Raw[];
}

function issueOf(r: Raw): IssueRow {
  return {
    rule: r.rule as DataQualityRuleName,
    recordId: String(r.record_id),
    recordType: String(r.record_type),
    countyCode: String(r.county_code),
    detail: String(r.detail ?? ""),
    status: r.status as IssueStatus,
    resolution: (r.resolution as IssueRow["resolution"]) ?? null,
    comment: (r.comment as string | null) ?? null,
    resolvedAt: r.resolved_at == null ? null : new Date(r.resolved_at as string),
  };
}

import { Field, ID, InputType, Int } from "type-graphql";
import { z } from "zod";
import { UserErrorCode, UserFacingError, UserFacingErrors } from "../../errors.js";
import { idCheckedByService, idOf, optional, parseInput } from "../../graphql/inputs.js";
import { money } from "../../graphql/money.js";
import { DateScalar, DecimalScalar } from "../../graphql/scalars.js";
import { isCalendarDay } from "../../db/keyset.js";
import { ProductCategory } from "../catalog/index.js";
import { ConsumptionChannel, SalesChannel } from "./sales.types.js";
import type { NewSalesLine, NewSalesReport } from "./sales-reports.service.js";

/** At most this many lines per report (set-based insert: one statement for all of them). */
export const MAX_REPORT_LINES = 10_000;
/** At most this many line problems are reported at once (the first ones). */
export const MAX_LINE_ERRORS = 100;

@InputType({ description: "One sale: a quantity of a catalog product, its amount, its day and channel." })
export class SalesLineInput {
  @Field(() => String, { description: "The product's catalog number (目录编号), e.g. 433124-2020-000017." })
  catalogNo!: string;

  @Field(() => Int, { description: "In the product's sales unit; positive." })
  quantity!: number;

  @Field(() => DecimalScalar, { description: "What the buyers paid, yuan; within SALES_PRICE_BAND of quantity × the product's unit price today or on soldOn." })
  amount!: string;

  @Field(() => DateScalar, { description: "The business day of the sale (China time); not in the future; the product was in the catalog that day." })
  soldOn!: string;

  @Field(() => SalesChannel)
  channel!: string;

  @Field(() => String, { nullable: true, description: "购买方地区, e.g. 济南市 (east–west cooperation)." })
  buyerRegion?: string | null;
}

@InputType()
export class ReportSalesInput {
  @Field(() => String, { description: "Your key for this report: sending it again (a retry) returns the same report, nothing doubles." })
  idempotencyKey!: string;

  @Field(() => ID, { nullable: true, description: "An earlier report of yours that this one replaces whole (its lines stop counting)." })
  corrects?: string | null;

  @Field(() => [SalesLineInput], { description: `1 to ${MAX_REPORT_LINES} lines (0 lines with \`corrects\`: withdraws that report).` })
  lines!: SalesLineInput[];
}

const reportSchema = z
  .object({
    idempotencyKey: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
    corrects: optional(idCheckedByService("SalesReport")),
    lines: z.array(z.unknown()).max(MAX_REPORT_LINES, `must have at most ${MAX_REPORT_LINES} lines`),
  })
  .refine((r) => r.lines.length > 0 || r.corrects !== undefined, { message: "must have at least one line (or correct an earlier report)", path: ["lines"] });

const lineSchema = z.object({
  catalogNo: z.string().trim().min(1, "is required").max(32, "must be at most 32 characters"),
  quantity: z.number().int().min(1, "must be positive").max(10_000_000, "must be at most 10000000"),
  amount: money("999999999999.99").refine((v) => /[1-9]/.test(v), "must be more than 0"),
  soldOn: z.string().refine(isCalendarDay, "must be a calendar day").refine((d) => d >= "2015-01-01", "must be 2015-01-01 or later"),
  channel: z.enum(Object.keys(SalesChannel) as [keyof typeof SalesChannel]),
  buyerRegion: optional(z.string().trim().max(100, "must be at most 100 characters")).transform((v) => (v ? v : undefined)),
}) satisfies z.ZodType<NewSalesLine, unknown>;

/**
 * The report as the service takes it. Every line is checked and every problem named by its index
 * (the first MAX_LINE_ERRORS), all in one answer: the partner fixes its file once, not line by line.
 */
export async function parseReportSales(input: ReportSalesInput): Promise<NewSalesReport> {
  const report = await parseInput(reportSchema, input);
  const errors: UserFacingError[] = [];
  const lines: NewSalesLine[] = [];
  report.lines.forEach((line, index) => {
    const parsed = lineSchema.safeParse(line);
    if (parsed.success) {
      lines.push(parsed.data);
      return;
    }
    for (const issue of parsed.error.issues) {
      if (errors.length >= MAX_LINE_ERRORS) return;
      const path = ["input", "lines", String(index), ...issue.path.map(String)];
      errors.push(new UserFacingError(UserErrorCode.INVALID, `lines.${index}.${issue.path.join(".")}: ${issue.message}`, path));
    }
  });
  if (errors.length > 0) throw new UserFacingErrors(errors);
  return { idempotencyKey: report.idempotencyKey, corrects: report.corrects, lines };
}

@InputType({ description: "Which records of consumptionSales to list." })
export class ConsumptionSalesRecordFilter {
  @Field(() => Int)
  year!: number;

  @Field(() => String, { nullable: true, description: "The products' origin county; 433100 or absent: every county." })
  countyCode?: string;

  @Field(() => ConsumptionChannel, { nullable: true })
  channel?: string;

  @Field(() => ProductCategory, { nullable: true })
  category?: string;

  @Field(() => ID, { nullable: true })
  enterpriseId?: string;

  @Field(() => Int, { nullable: true, description: "1–12" })
  month?: number;

  @Field(() => ID, { nullable: true, description: "The lines of one sales report (of any status)." })
  salesReportId?: string;
}

export const yearSchema = z.number().int().min(2015, "must be 2015 or later").max(2100, "must be 2100 or earlier");

export const recordFilterSchema = z.object({
  year: yearSchema,
  countyCode: optional(z.string()),
  channel: optional(z.enum(Object.keys(ConsumptionChannel) as [keyof typeof ConsumptionChannel])),
  category: optional(z.enum(Object.keys(ProductCategory) as [keyof typeof ProductCategory])),
  enterpriseId: optional(idOf("Enterprise")),
  month: optional(z.number().int().min(1, "must be 1–12").max(12, "must be 1–12")),
  salesReportId: optional(idOf("SalesReport")),
});

import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { connectionOf } from "../../graphql/connection.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { labelOf } from "../../graphql/enums.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { parseArgument } from "../../graphql/inputs.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { DateScalar } from "../../graphql/scalars.js";
import { Product, ProductCategory } from "../catalog/index.js";
import { Enterprise } from "../enterprises/index.js";
import { countyScope } from "../geography/index.js";
import { consumptionSalesAnswer } from "./consumption-sales.answer.js";
import type { ConsumptionRecordRow } from "./consumption-sales.service.js";
import { ConsumptionSalesRecordFilter, ReportSalesInput, parseReportSales, recordFilterSchema, yearSchema } from "./sales.inputs.js";
import type { SalesReportRow } from "./sales.schema.js";
import {
  CONSUMPTION_AUDIENCE,
  ConsumptionChannel,
  ConsumptionSales,
  ConsumptionSalesRecord,
  ConsumptionSalesRecordConnection,
  ConsumptionRecordSource,
  EnterpriseSales,
  ReportSalesPayload,
  SalesReport,
  SalesReportConnection,
  SalesReportStatus,
} from "./sales.types.js";


@Resolver(() => SalesReport)
export class SalesReportResolver {
  @Mutation(() => ReportSalesPayload, {
    description:
      "销售报送: a partner key with SALES_REPORT reports sales of catalog products (any channel); a poverty office reports fair sales (FAIR) " +
      "of its county's products. All lines or none; every line's problems at once; the same idempotencyKey returns the same report; " +
      "`corrects` replaces an earlier report of yours. Audited.",
  })
  reportSales(@Arg("input", () => ReportSalesInput) input: ReportSalesInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { report, replayed } = await context.services.salesReports.report(commandOf(context), await parseReportSales(input));
      return { salesReport: report, replayed };
    });
  }

  @Query(() => SalesReportConnection, { description: "Your sales reports, newest first (a partner's key its own; admins and the prefecture office every one)." })
  salesReports(@Args(() => PageArguments) page: PageArguments, @Ctx() { services, actor }: RequestContext) {
    return connectionOf(page, (p) => services.salesReports.page(actor, p), () => services.salesReports.count(actor));
  }

  @FieldResolver(() => ID)
  id(@Root() row: SalesReportRow) {
    return toGlobalId("SalesReport", row.id);
  }

  @FieldResolver(() => SalesReportStatus)
  status(@Root() row: SalesReportRow) {
    return row.supersededById ? "SUPERSEDED" : "ACTIVE";
  }

  @FieldResolver(() => SalesReport, { nullable: true, description: "The earlier report this one replaced." })
  corrects(@Root() row: SalesReportRow, @Ctx() { loaders }: RequestContext) {
    return row.correctsId ? loaders.salesReportById.load(row.correctsId) : null;
  }

  @FieldResolver(() => SalesReport, { nullable: true, description: "The later report that replaced this one (it no longer counts)." })
  supersededBy(@Root() row: SalesReportRow, @Ctx() { loaders }: RequestContext) {
    return row.supersededById ? loaders.salesReportById.load(row.supersededById) : null;
  }
}

@Resolver(() => ConsumptionSales)
export class ConsumptionSalesResolver {
  @Authorized(...CONSUMPTION_AUDIENCE)
  @Query(() => ConsumptionSales, {
    description:
      "消费扶贫总额: the plan's consumption from every channel — budget units' delivered orders (canteens, trade unions' 以购代捐) and " +
      "the sales partners and offices reported (not superseded) — by channel, origin county, category, enterprise and month, each with " +
      "its record count (list them with consumptionSalesRecords). `countyCode`: the products' origin county. For admins, offices and officers.",
  })
  async consumptionSales(
    @Arg("year", () => Int) yearArg: number,
    @Arg("countyCode", () => String, { nullable: true }) countyCode: string | undefined,
    @Ctx() { services, loaders }: RequestContext,
  ) {
    const year = parseArgument(yearSchema, yearArg, "year");
    const county = await countyScope(countyCode, loaders.divisionByCode, "countyCode");
    return consumptionSalesAnswer(services, year, county ?? null);
  }

  @Authorized(...CONSUMPTION_AUDIENCE)
  @Query(() => ConsumptionSalesRecordConnection, { description: "The records behind consumptionSales (delivered orders, report lines), by day sold." })
  async consumptionSalesRecords(
    @Arg("filter", () => ConsumptionSalesRecordFilter) filter: ConsumptionSalesRecordFilter,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, loaders }: RequestContext,
  ) {
    const parsed = parseArgument(recordFilterSchema, filter, "filter");
    const recordFilter = { ...parsed, countyCode: await countyScope(parsed.countyCode, loaders.divisionByCode, "filter.countyCode") };
    return connectionOf(page, (p) => services.consumptionSales.recordsPage(recordFilter, p), () => services.consumptionSales.recordsCount(recordFilter));
  }
}

@Resolver(() => ConsumptionSalesRecord)
export class ConsumptionSalesRecordResolver {
  @FieldResolver(() => ID)
  recordId(@Root() row: ConsumptionRecordRow) {
    return toGlobalId(row.source === "ORDER" ? "Order" : "SalesReport", row.record_id);
  }

  @FieldResolver(() => Int, { nullable: true })
  lineNo(@Root() row: ConsumptionRecordRow) {
    return row.line_no;
  }

  @FieldResolver(() => DateScalar)
  soldOn(@Root() row: ConsumptionRecordRow) {
    return row.sold_on;
  }

  @FieldResolver(() => ConsumptionChannel)
  channel(@Root() row: ConsumptionRecordRow) {
    return row.channel;
  }

  @FieldResolver(() => ConsumptionRecordSource)
  source(@Root() row: ConsumptionRecordRow) {
    return row.source;
  }

  @FieldResolver(() => Product, { nullable: true })
  product(@Root() row: ConsumptionRecordRow, @Ctx() { loaders }: RequestContext) {
    return loaders.productById.load(row.product_id);
  }
}

@Resolver(() => EnterpriseSales)
export class EnterpriseSalesResolver {
  @FieldResolver(() => Enterprise, { nullable: true })
  enterprise(@Root() row: { enterpriseId: string }, @Ctx() { loaders }: RequestContext) {
    return loaders.enterpriseById.load(row.enterpriseId);
  }
}

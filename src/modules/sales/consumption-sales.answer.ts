import { labelOf } from "../../graphql/enums.js";
import { ProductCategory } from "../catalog/index.js";
import type { DivisionRow, GeographyService } from "../geography/index.js";
import type { ConsumptionSalesService } from "./consumption-sales.service.js";
import { ConsumptionChannel } from "./sales.types.js";

export interface SalesRow {
  key: string;
  label: string | null;
  amount: string;
  records: number;
}

/**
 * consumptionSales as the API answers it: every channel, every county (of the scope), every product category and
 * all 12 months zero-filled, each in its list's declared order (the enums', the counties' by code, the months');
 * only the enterprises are those with sales.
 */
export interface ConsumptionSalesAnswer {
  year: number;
  countyCode: string | null;
  total: { amount: string; records: number };
  byChannel: SalesRow[];
  byOriginCounty: (SalesRow & { county: DivisionRow })[];
  byCategory: SalesRow[];
  byEnterprise: { enterpriseId: string; amount: string; records: number }[];
  byMonth: SalesRow[];
}

/**
 * 消费扶贫总额 of a year for the prefecture or one county (already checked to be one): the one shaping of
 * the service's figures, for GraphQL's `consumptionSales` and the indicators workbook alike.
 */
export async function consumptionSalesAnswer(
  services: { consumptionSales: ConsumptionSalesService; geography: GeographyService },
  year: number,
  county: string | null,
): Promise<ConsumptionSalesAnswer> {
  const [figures, counties] = await Promise.all([services.consumptionSales.figures(year, county), services.geography.counties()]);
  const zero = { amount: "0.00", records: 0 };
  const channelFigures = new Map(figures.byChannel.map((r) => [r.key, r]));
  const countyFigures = new Map(figures.byOriginCounty.map((r) => [r.key, r]));
  const categoryFigures = new Map(figures.byCategory.map((r) => [r.key, r]));
  const monthFigures = new Map(figures.byMonth.map((r) => [r.key, r]));
  const amountOf = (r: { amount: string; records: number }) => ({ amount: r.amount, records: r.records });
  return {
    year,
    countyCode: county,
    total: figures.total,
    byChannel: Object.keys(ConsumptionChannel).map((key) => ({ key, label: labelOf(ConsumptionChannel, key), ...amountOf(channelFigures.get(key) ?? zero) })),
    byOriginCounty: counties
      .filter((c) => !county || c.code === county)
      .map((c) => ({ key: c.code, label: c.name, county: c, ...amountOf(countyFigures.get(c.code) ?? zero) })),
    byCategory: Object.keys(ProductCategory).map((key) => ({ key, label: labelOf(ProductCategory, key), ...amountOf(categoryFigures.get(key) ?? zero) })),
    byEnterprise: figures.byEnterprise.map((r) => ({ enterpriseId: r.key, amount: r.amount, records: r.records })),
    byMonth: Array.from({ length: 12 }, (_, i) => ({
      key: `${year}-${String(i + 1).padStart(2, "0")}`,
      label: null,
      ...amountOf(monthFigures.get(String(i + 1)) ?? zero),
    })),
  };
}

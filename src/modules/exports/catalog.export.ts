import { labelOf } from "../../graphql/enums.js";
import { type CatalogQuery, ProductCategory, type ProductRow } from "../catalog/index.js";
import type { EnterpriseRow } from "../enterprises/index.js";
import type { DivisionRow } from "../geography/index.js";
import { type ExportBuilder, keysetPages, mapPages } from "./export.types.js";
import { type Column, primed } from "./table.js";

interface CatalogLine {
  product: ProductRow;
  enterprise: EnterpriseRow | null;
  county: DivisionRow | null;
  village: DivisionRow | null;
}

const columns: Column<CatalogLine>[] = [
  { header: "目录编号", value: (r) => r.product.catalogNo, width: 22 },
  { header: "产品名称", value: (r) => r.product.name, width: 30 },
  { header: "品牌", value: (r) => r.product.brand },
  { header: "产品类别", value: (r) => labelOf(ProductCategory, r.product.category) ?? r.product.category },
  { header: "规格", value: (r) => r.product.spec },
  { header: "销售单位", value: (r) => r.product.unit },
  { header: "单价（元）", kind: "money", value: (r) => r.product.unitPrice },
  { header: "经营主体", value: (r) => r.enterprise?.name, width: 30 },
  { header: "产地县市", value: (r) => r.county?.name },
  { header: "产地村", value: (r) => r.village?.name },
  { header: "入录批次", value: (r) => r.product.batch, width: 16 },
  { header: "有效期起", value: (r) => r.product.validFrom, width: 12 },
  { header: "有效期止", value: (r) => r.product.validUntil, width: 12 },
  { header: "年供应能力", kind: "integer", value: (r) => r.product.annualSupplyCapacity },
  { header: "可供数量", kind: "integer", value: (r) => r.product.availableSupply },
];

/**
 * 扶贫产品目录 (GraphQL `catalog`): listed, unexpired products, public like the query; by catalog
 * number, keyset pages of the catalog service. Filters: `batch` (入录批次) and `countyCode` (产地).
 */
export const catalogExport: ExportBuilder = async (context, params) => {
  params.only("batch", "countyCode");
  const batch = params.batch();
  const countyCode = await params.countyCode(context);
  const filter: CatalogQuery = { batch, countyCode };
  const { services, loaders } = context;
  const pages = await primed(keysetPages((args) => services.catalog.catalogPage(filter, { field: "CATALOG_NO", direction: "ASC" }, args)));
  const county = countyCode ? await loaders.divisionByCode.load(countyCode) : null;
  return {
    asciiName: countyCode ? `catalog-${countyCode}` : "catalog",
    name: county ? `扶贫产品目录-${county.name}` : "扶贫产品目录",
    tables: [
      {
        name: "扶贫产品目录",
        columns,
        pages: mapPages(pages, (products) =>
          Promise.all(
            products.map(async (product) => ({
              product,
              enterprise: await loaders.enterpriseById.load(product.enterpriseId),
              county: await loaders.divisionByCode.load(product.originCountyCode),
              village: product.originVillageCode ? await loaders.divisionByCode.load(product.originVillageCode) : null,
            })),
          ),
        ),
      },
    ],
  };
};

import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection.js";
import { Node } from "../../graphql/node.js";
import { defineEnum } from "../../graphql/enums.js";
import { DateScalar, DateTimeScalar, DecimalScalar } from "../../graphql/scalars.js";

/** 扶贫产品认定状态, with the Chinese labels of charts and exports. */
export const ProductStatus = defineEnum("ProductStatus", "扶贫产品认定状态. A LISTED product past `validUntil` counts as expired and leaves the catalog.", {
  DRAFT: { label: "草稿" },
  SUBMITTED: { label: "已申报", description: "已申报: waiting for the origin county's office" },
  CERTIFIED: { label: "已认定", description: "已认定: certified by the county office, waiting to be entered in the catalog" },
  REJECTED: { label: "未通过", description: "未通过: rejected with a reason; may be edited and resubmitted" },
  LISTED: { label: "已入录", description: "已入录: in the prefecture's catalog with a catalog number and validity" },
  REVOKED: { label: "已撤销认定" },
});

/** 产品类别: one list for the SDL, the services and the Chinese labels of charts and exports. */
export const ProductCategory = defineEnum("ProductCategory", "产品类别", {
  TEA: { label: "茶叶", description: "茶叶 (黄金茶、毛尖、莓茶)" },
  FRUIT: { label: "水果", description: "水果 (椪柑、猕猴桃)" },
  VEGETABLE: { label: "蔬菜", description: "蔬菜、菌类、百合" },
  GRAIN_OIL: { label: "粮油", description: "粮油 (大米、茶油)" },
  MEAT_POULTRY_EGG: { label: "畜禽肉蛋", description: "畜禽肉蛋 (腊肉、黄牛肉)" },
  AQUATIC: { label: "水产" },
  HERBAL: { label: "中药材", description: "中药材、蜂蜜" },
  PROCESSED_FOOD: { label: "加工食品", description: "加工食品 (姜糖、酸肉)" },
  HANDICRAFT: { label: "手工艺品", description: "手工艺品 (苗绣、土家织锦)" },
  OTHER: { label: "其他" },
});

@ObjectType({ implements: Node, description: "扶贫产品: a poverty-alleviation product and its certification.", simpleResolvers: true })
export class Product extends Node {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: "品牌/商标" })
  brand!: string | null;

  @Field(() => ProductCategory)
  category!: keyof typeof ProductCategory;

  @Field(() => String, { description: "规格, e.g. 250克/罐" })
  spec!: string;

  @Field(() => String, { description: "Sales unit (罐, 箱, 斤 ...); quantities and `unitPrice` refer to it." })
  unit!: string;

  @Field(() => DecimalScalar, { description: "Price per sales unit, yuan." })
  unitPrice!: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: "认定价格: the unit price when last certified. A certified or listed product's price may move within ±PRICE_REVIEW_BAND (default 20 %) of it; beyond, it goes back to SUBMITTED.",
  })
  certifiedUnitPrice!: string | null;

  @Field(() => ProductStatus)
  status!: keyof typeof ProductStatus;

  @Field(() => String, { nullable: true, description: "目录编号, e.g. 433124-2020-000017; set when listed." })
  catalogNo!: string | null;

  @Field(() => String, { nullable: true, description: "入录批次" })
  batch!: string | null;

  @Field(() => DateScalar, { nullable: true })
  validFrom!: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Last day of validity; after it the listing is expired." })
  validUntil!: string | null;

  @Field(() => Int, { description: "年供应能力, in sales units." })
  annualSupplyCapacity!: number;

  @Field(() => Int, { description: "Supply available to order now, in sales units: stock, set with `updateProductSupply`/`adjustProductSupply`; neither it nor orders change `version` or `updatedAt`." })
  availableSupply!: number;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => [String])
  imageUrls!: string[];

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  @Field(() => Int, { description: "Optimistic-concurrency version; grows with every content or status change (not with stock: orders and supply updates leave it)." })
  version!: number;
}

export const ProductConnection = ConnectionType(Product, "Product");

export const ProductOrderField = { NAME: "NAME", UNIT_PRICE: "UNIT_PRICE", UPDATED_AT: "UPDATED_AT", CATALOG_NO: "CATALOG_NO" } as const;

registerEnumType(ProductOrderField, {
  name: "ProductOrderField",
  valuesConfig: {
    NAME: { description: "By name (code-point order)" },
    UNIT_PRICE: { description: "By unit price" },
    UPDATED_AT: { description: "By last change (partners' incremental sync)" },
    CATALOG_NO: { description: "By catalog number" },
  },
});

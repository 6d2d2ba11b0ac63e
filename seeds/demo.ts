/**
 * Demo enterprises and products for 湘西州, as typed arrays.
 *
 * Dates are relative to the seed date (`buildDemoRows(today)`) so the demo catalog stays valid
 * whenever it is seeded: exactly one LISTED product is already expired, a few expire within 60 days.
 * Each product that left DRAFT has its certification events (申报, 认定/驳回, 入录, 撤销), at times
 * that agree with its status and dates, so indicators asOf a past day rebuild the statuses truly.
 * Ids are fixed UUIDs, so re-seeding is idempotent.
 */
import type { certificationEvents, enterpriseKind, enterpriseStatus, enterpriseStatusHistory, enterprises, productCategory, productStatus, products } from "../src/db/schema.js";
import { usccCheckCharacter } from "../src/modules/enterprises/index.js";
import { countyCodes, villageCodes } from "./xiangxi.js";

export type EnterpriseKind = (typeof enterpriseKind.enumValues)[number];
export type EnterpriseStatus = (typeof enterpriseStatus.enumValues)[number];
export type ProductCategory = (typeof productCategory.enumValues)[number];
export type ProductStatus = (typeof productStatus.enumValues)[number];

export interface EnterpriseSeed {
  id: string;
  name: string;
  /** 统一社会信用代码, checksum-valid */
  uscc: string;
  kind: EnterpriseKind;
  status: EnterpriseStatus;
  countyCode: string;
  /** createdAt = seed day − createdDaysAgo days */
  createdDaysAgo: number;
}

/** Workflow state of a product that never reached the catalog. */
export interface UnlistedSeed {
  status: "DRAFT" | "SUBMITTED" | "CERTIFIED" | "REJECTED";
  /** ≥ 1: updatedAt = seed day (UTC midnight) − updatedDaysAgo days + updatedMinute */
  updatedDaysAgo: number;
  /** minute of the day of updatedAt; default derived from the product's position */
  updatedMinute?: number;
}

/** A product entered in the catalog (and possibly revoked since). */
export interface ListedSeed {
  status: "LISTED" | "REVOKED";
  /** sequence in the catalog number, unique per origin county */
  catalogSeq: number;
  /** 入录批次 of the validFrom year: 1 → "第一批" */
  batchNo: 1 | 2 | 3 | 4;
  /** validFrom = seed day − listedDaysAgo; validUntil = validFrom + 2 years − 1 day */
  listedDaysAgo: number;
  updatedDaysAgo: number;
  updatedMinute?: number;
}

export interface ProductSeed {
  id: string;
  name: string;
  brand: string | null;
  category: ProductCategory;
  spec: string;
  unit: string;
  /** yuan, two decimals */
  unitPrice: string;
  enterpriseId: string;
  originCountyCode: string;
  originVillageCode: string | null;
  annualSupplyCapacity: number;
  availableSupply: number;
  description: string;
  imageUrls: string[];
  listing: UnlistedSeed | ListedSeed;
}

/** A checksum-valid USCC: 2-char prefix (authority + type), 6-digit division, 9-char organisation code. */
function uscc(prefix: string, divisionCode: string, orgCode: string): string {
  const first17 = prefix + divisionCode + orgCode;
  return first17 + usccCheckCharacter(first17);
}

const C = countyCodes;
const V = villageCodes;

// Enterprise ids
export const E = {
  xiangxiLaodie: "e0000000-4331-4000-a000-000000000001",
  baojingTea: "e0000000-4331-4000-a000-000000000002",
  guzhangTea: "e0000000-4331-4000-a000-000000000003",
  yongshunMeicha: "e0000000-4331-4000-a000-000000000004",
  tujiaLarou: "e0000000-4331-4000-a000-000000000005",
  fenghuangGinger: "e0000000-4331-4000-a000-000000000006",
  shibadongFruit: "e0000000-4331-4000-a000-000000000007",
  luxiPonkan: "e0000000-4331-4000-a000-000000000008",
  shibadongVeg: "e0000000-4331-4000-a000-000000000009",
  longshanLily: "e0000000-4331-4000-a000-000000000010",
  pushiPig: "e0000000-4331-4000-a000-000000000011",
  dehangFarm: "e0000000-4331-4000-a000-000000000012",
  huayuanHoney: "e0000000-4331-4000-a000-000000000013",
  hangshaCollective: "e0000000-4331-4000-a000-000000000014",
  yanchongCollective: "e0000000-4331-4000-a000-000000000015",
  shanjiangEmbroidery: "e0000000-4331-4000-a000-000000000016",
  laojiazhaiFarm: "e0000000-4331-4000-a000-000000000017",
  rebalaBrocade: "e0000000-4331-4000-a000-000000000018",
} as const;

// Prefixes: 91 company, 92 individual business (family farms), 93 farmers' co-operative,
// N2 village-level collective economic organisation (registered with the agriculture authority).
export const enterpriseSeeds: EnterpriseSeed[] = [
  { id: E.xiangxiLaodie, name: "湘西老爹生物有限公司", uscc: uscc("91", C.吉首市, "722548395"), kind: "LEADING_NATIONAL", status: "VERIFIED", countyCode: C.吉首市, createdDaysAgo: 1460 },
  { id: E.baojingTea, name: "保靖黄金茶有限公司", uscc: uscc("91", C.保靖县, "MA4L2B7K1"), kind: "LEADING_PROVINCIAL", status: "VERIFIED", countyCode: C.保靖县, createdDaysAgo: 1400 },
  { id: E.guzhangTea, name: "古丈毛尖茶业有限公司", uscc: uscc("91", C.古丈县, "MA4L3C0D2"), kind: "LEADING_PREFECTURE", status: "VERIFIED", countyCode: C.古丈县, createdDaysAgo: 1380 },
  { id: E.yongshunMeicha, name: "永顺县芙蓉莓茶开发有限公司", uscc: uscc("91", C.永顺县, "MA4L4E8F3"), kind: "LEADING_PREFECTURE", status: "VERIFIED", countyCode: C.永顺县, createdDaysAgo: 1300 },
  { id: E.tujiaLarou, name: "湘西土家腊肉食品有限公司", uscc: uscc("91", C.永顺县, "68503172X"), kind: "LEADING_PROVINCIAL", status: "VERIFIED", countyCode: C.永顺县, createdDaysAgo: 1250 },
  { id: E.fenghuangGinger, name: "凤凰县沱江姜糖食品有限公司", uscc: uscc("91", C.凤凰县, "MA4L5G1H4"), kind: "SCALE", status: "VERIFIED", countyCode: C.凤凰县, createdDaysAgo: 1200 },
  { id: E.shibadongFruit, name: "花垣十八洞村苗汉子果业有限责任公司", uscc: uscc("91", C.花垣县, "MA4L6J2K5"), kind: "SCALE", status: "VERIFIED", countyCode: C.花垣县, createdDaysAgo: 1150 },
  { id: E.luxiPonkan, name: "泸溪县椪柑产业发展有限公司", uscc: uscc("91", C.泸溪县, "MA4L7L3M6"), kind: "SCALE", status: "VERIFIED", countyCode: C.泸溪县, createdDaysAgo: 1100 },
  { id: E.shibadongVeg, name: "花垣县十八洞村苗汉子野生蔬菜开发专业合作社", uscc: uscc("93", C.花垣县, "MA4L8N4P7"), kind: "COOPERATIVE", status: "VERIFIED", countyCode: C.花垣县, createdDaysAgo: 1050 },
  { id: E.longshanLily, name: "龙山县百合专业合作社", uscc: uscc("93", C.龙山县, "MA4L9Q5R8"), kind: "COOPERATIVE", status: "VERIFIED", countyCode: C.龙山县, createdDaysAgo: 1000 },
  { id: E.pushiPig, name: "泸溪县浦市铁骨猪养殖专业合作社", uscc: uscc("93", C.泸溪县, "MA4LAT6U9"), kind: "COOPERATIVE", status: "VERIFIED", countyCode: C.泸溪县, createdDaysAgo: 980 },
  { id: E.dehangFarm, name: "吉首市矮寨镇德夯苗家家庭农场", uscc: uscc("92", C.吉首市, "MA4LBW7X0"), kind: "FAMILY_FARM", status: "VERIFIED", countyCode: C.吉首市, createdDaysAgo: 960 },
  { id: E.huayuanHoney, name: "花垣县苗乡蜂蜜家庭农场", uscc: uscc("92", C.花垣县, "MA4LCY8A1"), kind: "FAMILY_FARM", status: "VERIFIED", countyCode: C.花垣县, createdDaysAgo: 940 },
  { id: E.hangshaCollective, name: "保靖县吕洞山镇夯沙村股份经济合作社", uscc: uscc("N2", C.保靖县, "MF4L0D9B2"), kind: "VILLAGE_COLLECTIVE", status: "VERIFIED", countyCode: C.保靖县, createdDaysAgo: 920 },
  { id: E.yanchongCollective, name: "龙山县里耶镇岩冲村股份经济合作社", uscc: uscc("N2", C.龙山县, "MF4L1E0C3"), kind: "VILLAGE_COLLECTIVE", status: "VERIFIED", countyCode: C.龙山县, createdDaysAgo: 900 },
  { id: E.shanjiangEmbroidery, name: "凤凰县山江苗绣工艺品有限公司", uscc: uscc("91", C.凤凰县, "MA4LDF1G4"), kind: "OTHER", status: "VERIFIED", countyCode: C.凤凰县, createdDaysAgo: 880 },
  { id: E.laojiazhaiFarm, name: "凤凰县山江镇老家寨苗家家庭农场", uscc: uscc("92", C.凤凰县, "MA4LEH2J5"), kind: "FAMILY_FARM", status: "PENDING", countyCode: C.凤凰县, createdDaysAgo: 12 },
  { id: E.rebalaBrocade, name: "龙山县惹巴拉土家织锦有限公司", uscc: uscc("91", C.龙山县, "MA4LFK3L6"), kind: "OTHER", status: "SUSPENDED", countyCode: C.龙山县, createdDaysAgo: 860 },
];

const imgs = (...names: string[]): string[] => names.map((n) => `https://img.example.cn/products/${n}.jpg`);
const pid = (n: number): string => `b0000000-4331-4000-a000-${String(n).padStart(12, "0")}`;

export const productSeeds: ProductSeed[] = [
  // ── 吉首市 433101 ─────────────────────────────────────────────────────────────
  { id: pid(1), name: "猕猴桃果王素", brand: "湘西老爹", category: "PROCESSED_FOOD", spec: "60片/盒", unit: "盒", unitPrice: "98.00", enterpriseId: E.xiangxiLaodie, originCountyCode: C.吉首市, originVillageCode: null, annualSupplyCapacity: 200000, availableSupply: 35000, description: "以湘西米良猕猴桃为原料压制的果片，富含维生素C，公司与吉首市贫困户签订猕猴桃保底收购订单。", imageUrls: imgs("jishou-guowangsu", "jishou-guowangsu-2"), listing: { status: "LISTED", catalogSeq: 1, batchNo: 1, listedDaysAgo: 420, updatedDaysAgo: 12 } },
  { id: pid(2), name: "猕猴桃汁", brand: "湘西老爹", category: "PROCESSED_FOOD", spec: "1升×6瓶/箱", unit: "箱", unitPrice: "68.00", enterpriseId: E.xiangxiLaodie, originCountyCode: C.吉首市, originVillageCode: null, annualSupplyCapacity: 80000, availableSupply: 12000, description: "鲜榨猕猴桃果汁饮料，原料来自吉首、凤凰、花垣的猕猴桃基地。", imageUrls: imgs("jishou-kiwi-juice"), listing: { status: "LISTED", catalogSeq: 2, batchNo: 1, listedDaysAgo: 420, updatedDaysAgo: 30 } },
  { id: pid(3), name: "杜仲雄花茶", brand: "湘西老爹", category: "HERBAL", spec: "50克/罐", unit: "罐", unitPrice: "68.00", enterpriseId: E.xiangxiLaodie, originCountyCode: C.吉首市, originVillageCode: null, annualSupplyCapacity: 30000, availableSupply: 4000, description: "采摘杜仲雄花精制而成的代用茶，带动林农采花增收。", imageUrls: imgs("jishou-duzhong"), listing: { status: "LISTED", catalogSeq: 3, batchNo: 2, listedDaysAgo: 300, updatedDaysAgo: 3, updatedMinute: 600 } },
  { id: pid(4), name: "猕猴桃果干", brand: "湘西老爹", category: "PROCESSED_FOOD", spec: "200克/袋", unit: "袋", unitPrice: "29.90", enterpriseId: E.xiangxiLaodie, originCountyCode: C.吉首市, originVillageCode: null, annualSupplyCapacity: 50000, availableSupply: 0, description: "低温烘干猕猴桃片，无添加蔗糖。", imageUrls: imgs("jishou-kiwi-dried"), listing: { status: "SUBMITTED", updatedDaysAgo: 5 } },
  { id: pid(5), name: "吉首酸肉", brand: null, category: "MEAT_POULTRY_EGG", spec: "500克/袋", unit: "袋", unitPrice: "45.00", enterpriseId: E.dehangFarm, originCountyCode: C.吉首市, originVillageCode: V.德夯村, annualSupplyCapacity: 6000, availableSupply: 800, description: "苗家传统工艺以五花肉拌玉米粉坛腌而成，酸香开胃。", imageUrls: imgs("jishou-suanrou"), listing: { status: "LISTED", catalogSeq: 4, batchNo: 3, listedDaysAgo: 150, updatedDaysAgo: 20, updatedMinute: 540 } },
  { id: pid(6), name: "吉首酸鱼", brand: null, category: "AQUATIC", spec: "500克/袋", unit: "袋", unitPrice: "45.00", enterpriseId: E.dehangFarm, originCountyCode: C.吉首市, originVillageCode: null, annualSupplyCapacity: 3000, availableSupply: 500, description: "稻田鲤鱼坛腌酸鱼，矮寨苗寨家家会做的风味。", imageUrls: imgs("jishou-suanyu"), listing: { status: "LISTED", catalogSeq: 5, batchNo: 3, listedDaysAgo: 150, updatedDaysAgo: 20, updatedMinute: 720 } },
  { id: pid(7), name: "矮寨土鸡蛋", brand: "矮寨", category: "MEAT_POULTRY_EGG", spec: "30枚/盒", unit: "盒", unitPrice: "39.90", enterpriseId: E.dehangFarm, originCountyCode: C.吉首市, originVillageCode: V.坪朗村, annualSupplyCapacity: 20000, availableSupply: 1500, description: "山地散养土鸡所产鲜蛋，由坪朗村贫困户代养、农场统一收购。", imageUrls: imgs("jishou-eggs"), listing: { status: "LISTED", catalogSeq: 6, batchNo: 2, listedDaysAgo: 700, updatedDaysAgo: 60 } },

  // ── 泸溪县 433122 ─────────────────────────────────────────────────────────────
  { id: pid(8), name: "泸溪椪柑", brand: "泸溪椪柑", category: "FRUIT", spec: "10斤/箱", unit: "箱", unitPrice: "39.90", enterpriseId: E.luxiPonkan, originCountyCode: C.泸溪县, originVillageCode: V.李家田村, annualSupplyCapacity: 50000, availableSupply: 9000, description: "国家地理标志产品，果大皮薄、化渣无核，公司按保护价收购贫困户椪柑。", imageUrls: imgs("luxi-ponkan-10", "luxi-ponkan-orchard"), listing: { status: "LISTED", catalogSeq: 1, batchNo: 1, listedDaysAgo: 365, updatedDaysAgo: 7 } },
  { id: pid(9), name: "泸溪椪柑", brand: "泸溪椪柑", category: "FRUIT", spec: "20斤/箱", unit: "箱", unitPrice: "69.90", enterpriseId: E.luxiPonkan, originCountyCode: C.泸溪县, originVillageCode: null, annualSupplyCapacity: 30000, availableSupply: 6000, description: "泸溪椪柑家庭装，产地直发。", imageUrls: imgs("luxi-ponkan-20"), listing: { status: "LISTED", catalogSeq: 2, batchNo: 1, listedDaysAgo: 365, updatedDaysAgo: 7, updatedMinute: 615 } },
  { id: pid(10), name: "椪柑罐头", brand: "浦市", category: "PROCESSED_FOOD", spec: "425克×6罐/箱", unit: "箱", unitPrice: "59.00", enterpriseId: E.luxiPonkan, originCountyCode: C.泸溪县, originVillageCode: null, annualSupplyCapacity: 20000, availableSupply: 3000, description: "精选椪柑果瓣制成的糖水罐头。", imageUrls: imgs("luxi-ponkan-can"), listing: { status: "LISTED", catalogSeq: 3, batchNo: 2, listedDaysAgo: 200, updatedDaysAgo: 45 } },
  { id: pid(11), name: "泸溪山茶油", brand: "武溪", category: "GRAIN_OIL", spec: "5升/桶", unit: "桶", unitPrice: "198.00", enterpriseId: E.luxiPonkan, originCountyCode: C.泸溪县, originVillageCode: null, annualSupplyCapacity: 5000, availableSupply: 700, description: "野生油茶籽古法压榨，一级压榨山茶油。", imageUrls: imgs("luxi-camellia-oil"), listing: { status: "LISTED", catalogSeq: 4, batchNo: 2, listedDaysAgo: 200, updatedDaysAgo: 15 } },
  { id: pid(12), name: "泸溪玻璃椒", brand: null, category: "VEGETABLE", spec: "500克/罐", unit: "罐", unitPrice: "25.00", enterpriseId: E.luxiPonkan, originCountyCode: C.泸溪县, originVillageCode: null, annualSupplyCapacity: 8000, availableSupply: 1000, description: "泸溪特色腌制辣椒，色泽透亮如玻璃。", imageUrls: imgs("luxi-glass-pepper"), listing: { status: "CERTIFIED", updatedDaysAgo: 9 } },
  { id: pid(13), name: "浦市铁骨猪腊肉", brand: "浦市铁骨猪", category: "MEAT_POULTRY_EGG", spec: "500克/袋", unit: "袋", unitPrice: "68.00", enterpriseId: E.pushiPig, originCountyCode: C.泸溪县, originVillageCode: V.岩门村, annualSupplyCapacity: 10000, availableSupply: 1200, description: "地方猪种浦市铁骨猪柴火熏制腊肉，合作社吸纳贫困户入股分红。", imageUrls: imgs("luxi-tiegu-larou"), listing: { status: "LISTED", catalogSeq: 5, batchNo: 3, listedDaysAgo: 90, updatedDaysAgo: 2 } },

  // ── 凤凰县 433123 ─────────────────────────────────────────────────────────────
  { id: pid(14), name: "凤凰姜糖", brand: "沱江", category: "PROCESSED_FOOD", spec: "250克/盒", unit: "盒", unitPrice: "25.00", enterpriseId: E.fenghuangGinger, originCountyCode: C.凤凰县, originVillageCode: null, annualSupplyCapacity: 100000, availableSupply: 20000, description: "黄姜与红糖手工拉制的凤凰古城传统姜糖。", imageUrls: imgs("fenghuang-jiangtang-250"), listing: { status: "LISTED", catalogSeq: 1, batchNo: 1, listedDaysAgo: 500, updatedDaysAgo: 10 } },
  { id: pid(15), name: "凤凰姜糖", brand: "沱江", category: "PROCESSED_FOOD", spec: "500克/袋", unit: "袋", unitPrice: "38.00", enterpriseId: E.fenghuangGinger, originCountyCode: C.凤凰县, originVillageCode: null, annualSupplyCapacity: 60000, availableSupply: 9000, description: "凤凰姜糖散装实惠装。", imageUrls: imgs("fenghuang-jiangtang-500"), listing: { status: "LISTED", catalogSeq: 2, batchNo: 1, listedDaysAgo: 500, updatedDaysAgo: 10, updatedMinute: 870 } },
  { id: pid(16), name: "凤凰腊鸭", brand: "沱江", category: "MEAT_POULTRY_EGG", spec: "约1千克/只", unit: "件", unitPrice: "58.00", enterpriseId: E.fenghuangGinger, originCountyCode: C.凤凰县, originVillageCode: null, annualSupplyCapacity: 5000, availableSupply: 600, description: "本地麻鸭腌制烟熏，收购贫困户散养麻鸭。", imageUrls: imgs("fenghuang-laya"), listing: { status: "LISTED", catalogSeq: 3, batchNo: 2, listedDaysAgo: 240, updatedDaysAgo: 33 } },
  { id: pid(17), name: "菖蒲塘蜜柚", brand: "菖蒲塘", category: "FRUIT", spec: "4个装/箱", unit: "箱", unitPrice: "49.90", enterpriseId: E.fenghuangGinger, originCountyCode: C.凤凰县, originVillageCode: V.菖蒲塘村, annualSupplyCapacity: 30000, availableSupply: 0, description: "廖家桥镇菖蒲塘村嫁接蜜柚，清甜多汁；当季已售罄。", imageUrls: imgs("fenghuang-pomelo"), listing: { status: "LISTED", catalogSeq: 4, batchNo: 2, listedDaysAgo: 240, updatedDaysAgo: 1 } },
  { id: pid(18), name: "苗绣手包", brand: "山江苗绣", category: "HANDICRAFT", spec: "1件", unit: "件", unitPrice: "168.00", enterpriseId: E.shanjiangEmbroidery, originCountyCode: C.凤凰县, originVillageCode: V.老家寨村, annualSupplyCapacity: 2000, availableSupply: 150, description: "山江苗族绣娘手工刺绣，绣娘按件计酬居家就业。", imageUrls: imgs("fenghuang-miaoxiu-bag", "fenghuang-miaoxiu-detail"), listing: { status: "LISTED", catalogSeq: 5, batchNo: 3, listedDaysAgo: 120, updatedDaysAgo: 25 } },
  { id: pid(19), name: "凤凰蜡染桌旗", brand: null, category: "HANDICRAFT", spec: "200×33厘米/件", unit: "件", unitPrice: "88.00", enterpriseId: E.shanjiangEmbroidery, originCountyCode: C.凤凰县, originVillageCode: null, annualSupplyCapacity: 1500, availableSupply: 200, description: "手绘蜂蜡防染、植物靛蓝浸染的苗族蜡染桌旗。", imageUrls: imgs("fenghuang-laran"), listing: { status: "LISTED", catalogSeq: 6, batchNo: 4, listedDaysAgo: 60, updatedDaysAgo: 8 } },
  { id: pid(20), name: "苗族银饰手镯", brand: "山江苗绣", category: "HANDICRAFT", spec: "约30克/只", unit: "件", unitPrice: "398.00", enterpriseId: E.shanjiangEmbroidery, originCountyCode: C.凤凰县, originVillageCode: null, annualSupplyCapacity: 500, availableSupply: 40, description: "苗族银匠手工錾刻银手镯。", imageUrls: imgs("fenghuang-silver"), listing: { status: "SUBMITTED", updatedDaysAgo: 6 } },
  { id: pid(21), name: "山江黄牛肉干", brand: null, category: "MEAT_POULTRY_EGG", spec: "200克/袋", unit: "袋", unitPrice: "48.00", enterpriseId: E.laojiazhaiFarm, originCountyCode: C.凤凰县, originVillageCode: V.老家寨村, annualSupplyCapacity: 2000, availableSupply: 0, description: "湘西黄牛肉风干制作，农场尚在核验中。", imageUrls: imgs("fenghuang-beef-jerky"), listing: { status: "DRAFT", updatedDaysAgo: 2 } },

  // ── 花垣县 433124 ─────────────────────────────────────────────────────────────
  { id: pid(22), name: "十八洞猕猴桃", brand: "十八洞", category: "FRUIT", spec: "12枚/箱", unit: "箱", unitPrice: "88.00", enterpriseId: E.shibadongFruit, originCountyCode: C.花垣县, originVillageCode: V.十八洞村, annualSupplyCapacity: 40000, availableSupply: 5000, description: "十八洞村飞地猕猴桃产业基地出产的红心猕猴桃，全村贫困户入股分红。", imageUrls: imgs("huayuan-18dong-kiwi-12", "huayuan-18dong-village"), listing: { status: "LISTED", catalogSeq: 1, batchNo: 1, listedDaysAgo: 400, updatedDaysAgo: 14, updatedMinute: 555 } },
  { id: pid(23), name: "十八洞猕猴桃", brand: "十八洞", category: "FRUIT", spec: "24枚/箱", unit: "箱", unitPrice: "158.00", enterpriseId: E.shibadongFruit, originCountyCode: C.花垣县, originVillageCode: V.十八洞村, annualSupplyCapacity: 20000, availableSupply: 2600, description: "十八洞红心猕猴桃礼盒装。", imageUrls: imgs("huayuan-18dong-kiwi-24"), listing: { status: "LISTED", catalogSeq: 2, batchNo: 1, listedDaysAgo: 400, updatedDaysAgo: 14, updatedMinute: 555 } },
  { id: pid(24), name: "十八洞山泉水", brand: "十八洞", category: "OTHER", spec: "550毫升×24瓶/箱", unit: "箱", unitPrice: "48.00", enterpriseId: E.shibadongFruit, originCountyCode: C.花垣县, originVillageCode: V.十八洞村, annualSupplyCapacity: 200000, availableSupply: 40000, description: "十八洞村山泉水，村集体按销量获得资源收益。", imageUrls: imgs("huayuan-18dong-water"), listing: { status: "LISTED", catalogSeq: 3, batchNo: 2, listedDaysAgo: 250, updatedDaysAgo: 40 } },
  { id: pid(25), name: "十八洞野生蕨菜", brand: "苗汉子", category: "VEGETABLE", spec: "250克/袋", unit: "袋", unitPrice: "29.90", enterpriseId: E.shibadongVeg, originCountyCode: C.花垣县, originVillageCode: V.十八洞村, annualSupplyCapacity: 8000, availableSupply: 900, description: "山间采摘野生蕨菜焯水晒干，合作社向贫困户收购鲜蕨。", imageUrls: imgs("huayuan-juecai"), listing: { status: "LISTED", catalogSeq: 4, batchNo: 2, listedDaysAgo: 250, updatedDaysAgo: 40, updatedMinute: 1000 } },
  { id: pid(26), name: "野生竹笋干", brand: "苗汉子", category: "VEGETABLE", spec: "500克/袋", unit: "袋", unitPrice: "35.00", enterpriseId: E.shibadongVeg, originCountyCode: C.花垣县, originVillageCode: V.金龙村, annualSupplyCapacity: 6000, availableSupply: 700, description: "高山野生方竹笋，切片晒干。", imageUrls: imgs("huayuan-bamboo-shoot"), listing: { status: "LISTED", catalogSeq: 5, batchNo: 3, listedDaysAgo: 100, updatedDaysAgo: 18 } },
  // the one expired catalog entry: listed more than two years ago, never renewed
  { id: pid(27), name: "苗家酸菜", brand: null, category: "VEGETABLE", spec: "500克/罐", unit: "罐", unitPrice: "19.90", enterpriseId: E.shibadongVeg, originCountyCode: C.花垣县, originVillageCode: null, annualSupplyCapacity: 10000, availableSupply: 1000, description: "青菜坛腌发酵的苗家酸菜。", imageUrls: imgs("huayuan-suancai"), listing: { status: "LISTED", catalogSeq: 6, batchNo: 1, listedDaysAgo: 790, updatedDaysAgo: 400 } },
  { id: pid(28), name: "花垣稻花鱼", brand: "苗汉子", category: "AQUATIC", spec: "1千克/袋", unit: "袋", unitPrice: "68.00", enterpriseId: E.shibadongVeg, originCountyCode: C.花垣县, originVillageCode: null, annualSupplyCapacity: 2000, availableSupply: 0, description: "稻田养殖禾花鲤，腌制风干。", imageUrls: imgs("huayuan-rice-fish"), listing: { status: "REJECTED", updatedDaysAgo: 11 } },
  { id: pid(29), name: "花垣土蜂蜜", brand: "苗乡", category: "PROCESSED_FOOD", spec: "500克/罐", unit: "罐", unitPrice: "98.00", enterpriseId: E.huayuanHoney, originCountyCode: C.花垣县, originVillageCode: V.沙科村, annualSupplyCapacity: 3000, availableSupply: 420, description: "中华蜂土法养殖的百花蜜，农场为贫困户托管代养蜂箱。", imageUrls: imgs("huayuan-honey-500"), listing: { status: "LISTED", catalogSeq: 7, batchNo: 3, listedDaysAgo: 130, updatedDaysAgo: 5 } },
  { id: pid(30), name: "花垣土蜂蜜", brand: "苗乡", category: "PROCESSED_FOOD", spec: "1千克/罐", unit: "罐", unitPrice: "178.00", enterpriseId: E.huayuanHoney, originCountyCode: C.花垣县, originVillageCode: null, annualSupplyCapacity: 1500, availableSupply: 180, description: "中华蜂百花蜜大罐装。", imageUrls: imgs("huayuan-honey-1000"), listing: { status: "LISTED", catalogSeq: 8, batchNo: 3, listedDaysAgo: 130, updatedDaysAgo: 5, updatedMinute: 1020 } },

  // ── 保靖县 433125 ─────────────────────────────────────────────────────────────
  { id: pid(31), name: "保靖黄金茶", brand: "黄金茶", category: "TEA", spec: "250克/罐", unit: "罐", unitPrice: "168.00", enterpriseId: E.baojingTea, originCountyCode: C.保靖县, originVillageCode: V.黄金村, annualSupplyCapacity: 50000, availableSupply: 8000, description: "国家地理标志产品，氨基酸含量高，茶园带动吕洞山镇贫困户务工与鲜叶收购。", imageUrls: imgs("baojing-tea-250", "baojing-tea-garden"), listing: { status: "LISTED", catalogSeq: 1, batchNo: 1, listedDaysAgo: 600, updatedDaysAgo: 9 } },
  { id: pid(32), name: "保靖黄金茶", brand: "黄金茶", category: "TEA", spec: "500克/盒", unit: "盒", unitPrice: "298.00", enterpriseId: E.baojingTea, originCountyCode: C.保靖县, originVillageCode: null, annualSupplyCapacity: 20000, availableSupply: 3500, description: "保靖黄金茶绿茶，盒装。", imageUrls: imgs("baojing-tea-500"), listing: { status: "LISTED", catalogSeq: 2, batchNo: 1, listedDaysAgo: 600, updatedDaysAgo: 9, updatedMinute: 930 } },
  { id: pid(33), name: "保靖黄金红茶", brand: "黄金茶", category: "TEA", spec: "100克/罐", unit: "罐", unitPrice: "98.00", enterpriseId: E.baojingTea, originCountyCode: C.保靖县, originVillageCode: null, annualSupplyCapacity: 15000, availableSupply: 2000, description: "黄金茶夏秋鲜叶制成的红茶，蜜香浓郁。", imageUrls: imgs("baojing-black-tea"), listing: { status: "LISTED", catalogSeq: 3, batchNo: 2, listedDaysAgo: 715, updatedDaysAgo: 100 } },
  { id: pid(34), name: "保靖黄金茶(明前特级)", brand: "黄金茶", category: "TEA", spec: "50克×4袋/盒", unit: "盒", unitPrice: "388.00", enterpriseId: E.baojingTea, originCountyCode: C.保靖县, originVillageCode: V.黄金村, annualSupplyCapacity: 2000, availableSupply: 300, description: "清明前采摘的单芽特级黄金茶。", imageUrls: imgs("baojing-tea-premium"), listing: { status: "CERTIFIED", updatedDaysAgo: 3 } },
  { id: pid(35), name: "夯沙苗家腊肉", brand: null, category: "MEAT_POULTRY_EGG", spec: "500克/袋", unit: "袋", unitPrice: "68.00", enterpriseId: E.hangshaCollective, originCountyCode: C.保靖县, originVillageCode: V.夯沙村, annualSupplyCapacity: 5000, availableSupply: 600, description: "夯沙村集体收购农户生猪统一熏制，收益按股分配。", imageUrls: imgs("baojing-hangsha-larou"), listing: { status: "LISTED", catalogSeq: 4, batchNo: 3, listedDaysAgo: 180, updatedDaysAgo: 22 } },
  { id: pid(36), name: "吕洞山高山大米", brand: "吕洞山", category: "GRAIN_OIL", spec: "5千克/袋", unit: "袋", unitPrice: "59.00", enterpriseId: E.hangshaCollective, originCountyCode: C.保靖县, originVillageCode: V.夯沙村, annualSupplyCapacity: 30000, availableSupply: 4000, description: "吕洞山下梯田一季稻，山泉水灌溉。", imageUrls: imgs("baojing-rice"), listing: { status: "LISTED", catalogSeq: 5, batchNo: 3, listedDaysAgo: 180, updatedDaysAgo: 22, updatedMinute: 840 } },
  { id: pid(37), name: "酉水鱼", brand: null, category: "AQUATIC", spec: "1千克/袋", unit: "袋", unitPrice: "78.00", enterpriseId: E.hangshaCollective, originCountyCode: C.保靖县, originVillageCode: null, annualSupplyCapacity: 2000, availableSupply: 150, description: "酉水河网箱外生态养殖的鱼，腌制风干。", imageUrls: imgs("baojing-youshui-fish"), listing: { status: "LISTED", catalogSeq: 6, batchNo: 4, listedDaysAgo: 45, updatedDaysAgo: 6 } },

  // ── 古丈县 433126 ─────────────────────────────────────────────────────────────
  { id: pid(38), name: "古丈毛尖", brand: "古丈毛尖", category: "TEA", spec: "250克/罐", unit: "罐", unitPrice: "168.00", enterpriseId: E.guzhangTea, originCountyCode: C.古丈县, originVillageCode: V.牛角山村, annualSupplyCapacity: 60000, availableSupply: 9000, description: "国家地理标志产品，条索紧细、翠绿显毫，茶企与默戎镇茶农签订鲜叶收购订单。", imageUrls: imgs("guzhang-maojian-250", "guzhang-tea-garden"), listing: { status: "LISTED", catalogSeq: 1, batchNo: 1, listedDaysAgo: 550, updatedDaysAgo: 16 } },
  { id: pid(39), name: "古丈毛尖", brand: "古丈毛尖", category: "TEA", spec: "100克/盒", unit: "盒", unitPrice: "88.00", enterpriseId: E.guzhangTea, originCountyCode: C.古丈县, originVillageCode: null, annualSupplyCapacity: 40000, availableSupply: 6000, description: "古丈毛尖小盒装。", imageUrls: imgs("guzhang-maojian-100"), listing: { status: "LISTED", catalogSeq: 2, batchNo: 1, listedDaysAgo: 550, updatedDaysAgo: 16, updatedMinute: 990 } },
  { id: pid(40), name: "古丈红茶", brand: "古丈毛尖", category: "TEA", spec: "250克/罐", unit: "罐", unitPrice: "128.00", enterpriseId: E.guzhangTea, originCountyCode: C.古丈县, originVillageCode: V.翁草村, annualSupplyCapacity: 20000, availableSupply: 2500, description: "古丈高山茶园工夫红茶。", imageUrls: imgs("guzhang-black-tea"), listing: { status: "LISTED", catalogSeq: 3, batchNo: 2, listedDaysAgo: 280, updatedDaysAgo: 35 } },
  { id: pid(41), name: "古丈茶油", brand: "古阳河", category: "GRAIN_OIL", spec: "5升/桶", unit: "桶", unitPrice: "158.00", enterpriseId: E.guzhangTea, originCountyCode: C.古丈县, originVillageCode: null, annualSupplyCapacity: 6000, availableSupply: 800, description: "油茶籽物理压榨茶油。", imageUrls: imgs("guzhang-tea-oil"), listing: { status: "LISTED", catalogSeq: 4, batchNo: 2, listedDaysAgo: 280, updatedDaysAgo: 70 } },
  { id: pid(42), name: "古丈毛尖(明前)", brand: "古丈毛尖", category: "TEA", spec: "50克×4袋/盒", unit: "盒", unitPrice: "228.00", enterpriseId: E.guzhangTea, originCountyCode: C.古丈县, originVillageCode: null, annualSupplyCapacity: 3000, availableSupply: 0, description: "明前古丈毛尖；抽检不合格，已取消认定。", imageUrls: imgs("guzhang-maojian-premium"), listing: { status: "REVOKED", catalogSeq: 5, batchNo: 3, listedDaysAgo: 200, updatedDaysAgo: 12 } },
  { id: pid(43), name: "古丈葛根粉", brand: null, category: "PROCESSED_FOOD", spec: "500克/袋", unit: "袋", unitPrice: "39.90", enterpriseId: E.guzhangTea, originCountyCode: C.古丈县, originVillageCode: null, annualSupplyCapacity: 5000, availableSupply: 500, description: "野生葛根水洗沉淀制粉。", imageUrls: imgs("guzhang-kudzu"), listing: { status: "SUBMITTED", updatedDaysAgo: 4 } },

  // ── 永顺县 433127 ─────────────────────────────────────────────────────────────
  { id: pid(44), name: "永顺莓茶", brand: "芙蓉", category: "TEA", spec: "100克/罐", unit: "罐", unitPrice: "68.00", enterpriseId: E.yongshunMeicha, originCountyCode: C.永顺县, originVillageCode: V.列夕村, annualSupplyCapacity: 30000, availableSupply: 5000, description: "显齿蛇葡萄嫩叶制成的莓茶，表面白霜为天然二氢杨梅素。", imageUrls: imgs("yongshun-meicha-100"), listing: { status: "LISTED", catalogSeq: 1, batchNo: 1, listedDaysAgo: 450, updatedDaysAgo: 13 } },
  { id: pid(45), name: "永顺莓茶", brand: "芙蓉", category: "TEA", spec: "250克/盒", unit: "盒", unitPrice: "138.00", enterpriseId: E.yongshunMeicha, originCountyCode: C.永顺县, originVillageCode: null, annualSupplyCapacity: 15000, availableSupply: 2400, description: "永顺莓茶盒装。", imageUrls: imgs("yongshun-meicha-250"), listing: { status: "LISTED", catalogSeq: 2, batchNo: 1, listedDaysAgo: 450, updatedDaysAgo: 28 } },
  { id: pid(46), name: "莓茶芽尖", brand: "芙蓉", category: "TEA", spec: "50克/罐", unit: "罐", unitPrice: "98.00", enterpriseId: E.yongshunMeicha, originCountyCode: C.永顺县, originVillageCode: null, annualSupplyCapacity: 3000, availableSupply: 400, description: "只采顶端嫩芽的特级莓茶。", imageUrls: imgs("yongshun-meicha-bud"), listing: { status: "CERTIFIED", updatedDaysAgo: 7 } },
  { id: pid(47), name: "永顺猕猴桃", brand: null, category: "FRUIT", spec: "5千克/箱", unit: "箱", unitPrice: "79.00", enterpriseId: E.yongshunMeicha, originCountyCode: C.永顺县, originVillageCode: V.司城村, annualSupplyCapacity: 25000, availableSupply: 3000, description: "老司城遗址周边山地种植的米良1号猕猴桃。", imageUrls: imgs("yongshun-kiwi"), listing: { status: "LISTED", catalogSeq: 3, batchNo: 2, listedDaysAgo: 690, updatedDaysAgo: 120 } },
  { id: pid(48), name: "莓茶茶枕", brand: "芙蓉", category: "OTHER", spec: "40×60厘米/个", unit: "件", unitPrice: "58.00", enterpriseId: E.yongshunMeicha, originCountyCode: C.永顺县, originVillageCode: null, annualSupplyCapacity: 2000, availableSupply: 300, description: "莓茶茶梗填充的枕头，由贫困妇女手工缝制。", imageUrls: imgs("yongshun-tea-pillow"), listing: { status: "LISTED", catalogSeq: 4, batchNo: 3, listedDaysAgo: 75, updatedDaysAgo: 19 } },
  { id: pid(49), name: "杜仲茶", brand: "芙蓉", category: "HERBAL", spec: "100克/罐", unit: "罐", unitPrice: "58.00", enterpriseId: E.yongshunMeicha, originCountyCode: C.永顺县, originVillageCode: null, annualSupplyCapacity: 4000, availableSupply: 0, description: "杜仲嫩叶炒制的代用茶，尚未申报。", imageUrls: imgs("yongshun-duzhong"), listing: { status: "DRAFT", updatedDaysAgo: 1 } },
  { id: pid(50), name: "湘西腊肉", brand: "土家", category: "MEAT_POULTRY_EGG", spec: "500克/袋", unit: "袋", unitPrice: "68.00", enterpriseId: E.tujiaLarou, originCountyCode: C.永顺县, originVillageCode: null, annualSupplyCapacity: 80000, availableSupply: 12000, description: "土家族传统柴火烟熏腊肉，公司订单收购贫困户生猪。", imageUrls: imgs("yongshun-larou-500", "yongshun-larou-smoke"), listing: { status: "LISTED", catalogSeq: 5, batchNo: 1, listedDaysAgo: 380, updatedDaysAgo: 11 } },
  { id: pid(51), name: "湘西腊肉", brand: "土家", category: "MEAT_POULTRY_EGG", spec: "2.5千克/箱", unit: "箱", unitPrice: "298.00", enterpriseId: E.tujiaLarou, originCountyCode: C.永顺县, originVillageCode: null, annualSupplyCapacity: 20000, availableSupply: 2500, description: "湘西腊肉整箱装，适合单位食堂采购。", imageUrls: imgs("yongshun-larou-box"), listing: { status: "LISTED", catalogSeq: 6, batchNo: 1, listedDaysAgo: 380, updatedDaysAgo: 11, updatedMinute: 885 } },
  { id: pid(52), name: "土家香肠", brand: "土家", category: "MEAT_POULTRY_EGG", spec: "500克/袋", unit: "袋", unitPrice: "58.00", enterpriseId: E.tujiaLarou, originCountyCode: C.永顺县, originVillageCode: null, annualSupplyCapacity: 30000, availableSupply: 4000, description: "麻辣味土家香肠，柴火烟熏。", imageUrls: imgs("yongshun-sausage"), listing: { status: "LISTED", catalogSeq: 7, batchNo: 2, listedDaysAgo: 210, updatedDaysAgo: 24 } },

  // ── 龙山县 433130 ─────────────────────────────────────────────────────────────
  { id: pid(53), name: "龙山百合干", brand: "龙山百合", category: "VEGETABLE", spec: "500克/袋", unit: "袋", unitPrice: "45.00", enterpriseId: E.longshanLily, originCountyCode: C.龙山县, originVillageCode: V.桶车村, annualSupplyCapacity: 40000, availableSupply: 6000, description: "国家地理标志产品龙山百合，鳞片肥厚、色泽洁白，合作社保底收购社员百合。", imageUrls: imgs("longshan-lily-500", "longshan-lily-field"), listing: { status: "LISTED", catalogSeq: 1, batchNo: 1, listedDaysAgo: 480, updatedDaysAgo: 17 } },
  { id: pid(54), name: "龙山百合干", brand: "龙山百合", category: "VEGETABLE", spec: "2.5千克/箱", unit: "箱", unitPrice: "198.00", enterpriseId: E.longshanLily, originCountyCode: C.龙山县, originVillageCode: null, annualSupplyCapacity: 10000, availableSupply: 1200, description: "龙山百合干整箱装。", imageUrls: imgs("longshan-lily-box"), listing: { status: "LISTED", catalogSeq: 2, batchNo: 1, listedDaysAgo: 480, updatedDaysAgo: 17, updatedMinute: 945 } },
  { id: pid(55), name: "百合粉", brand: "龙山百合", category: "PROCESSED_FOOD", spec: "400克/罐", unit: "罐", unitPrice: "68.00", enterpriseId: E.longshanLily, originCountyCode: C.龙山县, originVillageCode: null, annualSupplyCapacity: 12000, availableSupply: 1800, description: "鲜百合研磨提取的纯百合粉，冲调即食。", imageUrls: imgs("longshan-lily-powder"), listing: { status: "LISTED", catalogSeq: 3, batchNo: 2, listedDaysAgo: 260, updatedDaysAgo: 21 } },
  { id: pid(56), name: "鲜百合", brand: null, category: "VEGETABLE", spec: "2.5千克/箱", unit: "箱", unitPrice: "88.00", enterpriseId: E.longshanLily, originCountyCode: C.龙山县, originVillageCode: V.桶车村, annualSupplyCapacity: 20000, availableSupply: 0, description: "当季采挖的新鲜百合，冷链发货。", imageUrls: imgs("longshan-lily-fresh"), listing: { status: "LISTED", catalogSeq: 4, batchNo: 3, listedDaysAgo: 30, updatedDaysAgo: 2 } },
  // 百合 only in the enterprise name
  { id: pid(57), name: "龙山萝卜干", brand: "土家坊", category: "VEGETABLE", spec: "500克/袋", unit: "袋", unitPrice: "19.90", enterpriseId: E.longshanLily, originCountyCode: C.龙山县, originVillageCode: null, annualSupplyCapacity: 15000, availableSupply: 2500, description: "白萝卜切条晾晒腌制，香脆下饭。", imageUrls: imgs("longshan-radish"), listing: { status: "LISTED", catalogSeq: 5, batchNo: 2, listedDaysAgo: 260, updatedDaysAgo: 21, updatedMinute: 1080 } },
  { id: pid(58), name: "百合酥", brand: null, category: "PROCESSED_FOOD", spec: "300克/盒", unit: "盒", unitPrice: "29.90", enterpriseId: E.longshanLily, originCountyCode: C.龙山县, originVillageCode: null, annualSupplyCapacity: 6000, availableSupply: 0, description: "百合馅酥饼，试产中。", imageUrls: imgs("longshan-lily-cake"), listing: { status: "DRAFT", updatedDaysAgo: 3 } },
  // 百合 only in the brand
  { id: pid(59), name: "里耶贡米", brand: "百合之乡", category: "GRAIN_OIL", spec: "5千克/袋", unit: "袋", unitPrice: "59.00", enterpriseId: E.yanchongCollective, originCountyCode: C.龙山县, originVillageCode: V.岩冲村, annualSupplyCapacity: 25000, availableSupply: 3000, description: "里耶古镇周边稻田所产大米，村集体统一收购加工。", imageUrls: imgs("longshan-liye-rice"), listing: { status: "LISTED", catalogSeq: 6, batchNo: 3, listedDaysAgo: 160, updatedDaysAgo: 27 } },
  { id: pid(60), name: "里耶腊猪脚", brand: null, category: "MEAT_POULTRY_EGG", spec: "1千克/袋", unit: "袋", unitPrice: "78.00", enterpriseId: E.yanchongCollective, originCountyCode: C.龙山县, originVillageCode: V.岩冲村, annualSupplyCapacity: 3000, availableSupply: 400, description: "柴火熏制的腊猪脚，炖汤佳品。", imageUrls: imgs("longshan-pig-trotter"), listing: { status: "LISTED", catalogSeq: 7, batchNo: 3, listedDaysAgo: 160, updatedDaysAgo: 29 } },
  { id: pid(61), name: "龙山金银花", brand: null, category: "HERBAL", spec: "250克/罐", unit: "罐", unitPrice: "45.00", enterpriseId: E.yanchongCollective, originCountyCode: C.龙山县, originVillageCode: null, annualSupplyCapacity: 8000, availableSupply: 1000, description: "龙山山银花花蕾杀青烘干，村集体种植基地吸纳贫困户务工。", imageUrls: imgs("longshan-honeysuckle"), listing: { status: "LISTED", catalogSeq: 8, batchNo: 4, listedDaysAgo: 20, updatedDaysAgo: 1 } },
  { id: pid(62), name: "土家织锦挂毯", brand: "惹巴拉", category: "HANDICRAFT", spec: "60×120厘米/件", unit: "件", unitPrice: "268.00", enterpriseId: E.rebalaBrocade, originCountyCode: C.龙山县, originVillageCode: V.捞车村, annualSupplyCapacity: 800, availableSupply: 0, description: "西兰卡普土家织锦挂毯；带贫机制未落实，已取消认定。", imageUrls: imgs("longshan-brocade"), listing: { status: "REVOKED", catalogSeq: 9, batchNo: 2, listedDaysAgo: 300, updatedDaysAgo: 15 } },
  { id: pid(63), name: "土家织锦抱枕", brand: "惹巴拉", category: "HANDICRAFT", spec: "45×45厘米/个", unit: "件", unitPrice: "98.00", enterpriseId: E.rebalaBrocade, originCountyCode: C.龙山县, originVillageCode: null, annualSupplyCapacity: 1000, availableSupply: 0, description: "土家织锦抱枕套；申报材料不全被退回。", imageUrls: imgs("longshan-brocade-pillow"), listing: { status: "REJECTED", updatedDaysAgo: 8 } },
];

const DAY_MS = 86_400_000;
const BATCH_NAMES = ["一", "二", "三", "四"] as const;

function utcMidnight(d: Date): number {
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * validFrom + 2 years − 1 day. A 29 February start ends on 28 February two years later (the day
 * before the anniversary, which rolls over to 1 March).
 */
function twoYearsMinusOneDay(fromMs: number): number {
  const from = new Date(fromMs);
  return Date.UTC(from.getUTCFullYear() + 2, from.getUTCMonth(), from.getUTCDate()) - DAY_MS;
}

export function catalogNo(originCountyCode: string, validFromYear: number, catalogSeq: number): string {
  return `${originCountyCode}-${validFromYear}-${String(catalogSeq).padStart(6, "0")}`;
}

/** Default minute of the day of a product's updatedAt: spread over 08:00–17:59 by position. */
function defaultUpdatedMinute(index: number): number {
  return 480 + ((index * 37) % 600);
}

type EnterpriseInsert = typeof enterprises.$inferInsert;
type ProductInsert = typeof products.$inferInsert;
type EventInsert = typeof certificationEvents.$inferInsert;

/**
 * A product's certification events, oldest first, as the workflow would have written them:
 * submitted two days after it was created; a listed (or revoked) product certified five days before
 * its validFrom and listed on validFrom at 10:00 China time (02:00 UTC, the same day in Beijing);
 * the last step of any other product (and the revocation) at its updatedAt, as the step sets it.
 */
function demoEvents(product: ProductInsert): EventInsert[] {
  const n = Number(product.id!.slice(-12));
  const created = product.createdAt!.getTime();
  const steps: [from: ProductStatus, to: ProductStatus, at: number, comment: string | null][] = [];
  const submitted = created + 2 * DAY_MS;
  const status = product.status!;
  if (status === "DRAFT") return [];
  if (status === "SUBMITTED") steps.push(["DRAFT", "SUBMITTED", product.updatedAt!.getTime(), null]);
  else steps.push(["DRAFT", "SUBMITTED", submitted, null]);
  if (status === "CERTIFIED") steps.push(["SUBMITTED", "CERTIFIED", product.updatedAt!.getTime(), null]);
  if (status === "REJECTED") steps.push(["SUBMITTED", "REJECTED", product.updatedAt!.getTime(), "申报材料不全"]);
  if (status === "LISTED" || status === "REVOKED") {
    const validFrom = Date.parse(`${product.validFrom}T00:00:00Z`);
    steps.push(["SUBMITTED", "CERTIFIED", validFrom - 5 * DAY_MS + 3 * 3_600_000, null]);
    steps.push(["CERTIFIED", "LISTED", validFrom + 2 * 3_600_000, `入录 ${product.batch}`]);
  }
  if (status === "REVOKED") steps.push(["LISTED", "REVOKED", product.updatedAt!.getTime(), "带贫机制未落实，撤销认定"]);
  return steps.map(([fromStatus, toStatus, at, comment], k) => ({
    id: `c0000000-4331-4000-a000-${String(n * 10 + k).padStart(12, "0")}`,
    productId: product.id!,
    fromStatus,
    toStatus,
    actorUserId: null,
    comment,
    at: new Date(at),
  }));
}

type StatusHistoryInsert = typeof enterpriseStatusHistory.$inferInsert;

/**
 * The status history the demo enterprises' statuses imply: VERIFIED (the declared kind confirmed)
 * the day after registering, and for the SUSPENDED one a suspension at its last update. Ids derive
 * from the enterprise's (e0000000-… → e0000001-… verified, e0000002-… suspended): idempotent.
 */
function demoStatusHistory(rows: readonly EnterpriseInsert[]): StatusHistoryInsert[] {
  const history: StatusHistoryInsert[] = [];
  for (const e of rows) {
    if (e.status !== "VERIFIED" && e.status !== "SUSPENDED") continue;
    const verifiedAt = new Date(e.createdAt!.getTime() + DAY_MS);
    history.push({ id: `e0000001${e.id!.slice(8)}`, enterpriseId: e.id!, status: "VERIFIED", kind: e.kind, reason: null, actorUserId: null, at: verifiedAt });
    if (e.status === "SUSPENDED") {
      const at = new Date(Math.max(e.updatedAt!.getTime(), verifiedAt.getTime() + DAY_MS));
      history.push({ id: `e0000002${e.id!.slice(8)}`, enterpriseId: e.id!, status: "SUSPENDED", kind: e.kind, reason: "带贫机制未落实，暂停经营主体资格", actorUserId: null, at });
    }
  }
  return history;
}

/** The insert rows for a seed date: every date is relative to `today` (its UTC calendar day). */
export function buildDemoRows(today: Date): {
  enterprises: EnterpriseInsert[];
  enterpriseStatusHistory: StatusHistoryInsert[];
  products: ProductInsert[];
  certificationEvents: EventInsert[];
} {
  const base = utcMidnight(today);

  const enterpriseRows: EnterpriseInsert[] = enterpriseSeeds.map((e, i) => {
    const createdAt = new Date(base - e.createdDaysAgo * DAY_MS + 9 * 3_600_000);
    const updatedAt = new Date(Math.max(createdAt.getTime(), base - (30 + i * 3) * DAY_MS + 10 * 3_600_000));
    return {
      id: e.id,
      name: e.name,
      uscc: e.uscc,
      kind: e.kind,
      status: e.status,
      countyCode: e.countyCode,
      createdAt,
      updatedAt,
    };
  });

  const productRows: ProductInsert[] = productSeeds.map((p, i) => {
    const l = p.listing;
    if (l.updatedDaysAgo < 1) throw new Error(`demo product ${p.id}: updatedDaysAgo must be ≥ 1`);
    const minute = l.updatedMinute ?? defaultUpdatedMinute(i);
    const updatedAt = new Date(base - l.updatedDaysAgo * DAY_MS + minute * 60_000);
    const firstDaysAgo = l.status === "LISTED" || l.status === "REVOKED" ? Math.max(l.listedDaysAgo, l.updatedDaysAgo) : l.updatedDaysAgo;
    const createdAt = new Date(base - (firstDaysAgo + 14 + (i % 7)) * DAY_MS + 8 * 3_600_000);

    let catalog: Pick<ProductInsert, "catalogNo" | "batch" | "validFrom" | "validUntil"> = {
      catalogNo: null,
      batch: null,
      validFrom: null,
      validUntil: null,
    };
    if (l.status === "LISTED" || l.status === "REVOKED") {
      const fromMs = base - l.listedDaysAgo * DAY_MS;
      const year = new Date(fromMs).getUTCFullYear();
      catalog = {
        catalogNo: catalogNo(p.originCountyCode, year, l.catalogSeq),
        batch: `${year}年第${BATCH_NAMES[l.batchNo - 1]}批`,
        validFrom: isoDate(fromMs),
        validUntil: isoDate(twoYearsMinusOneDay(fromMs)),
      };
    }

    return {
      id: p.id,
      name: p.name,
      brand: p.brand,
      category: p.category,
      spec: p.spec,
      unit: p.unit,
      unitPrice: p.unitPrice,
      enterpriseId: p.enterpriseId,
      originCountyCode: p.originCountyCode,
      originVillageCode: p.originVillageCode,
      status: l.status,
      certifiedUnitPrice: l.status === "LISTED" || l.status === "REVOKED" ? p.unitPrice : null,
      ...catalog,
      annualSupplyCapacity: p.annualSupplyCapacity,
      availableSupply: p.availableSupply,
      description: p.description,
      imageUrls: p.imageUrls,
      createdAt,
      updatedAt,
    };
  });

  return { enterprises: enterpriseRows, enterpriseStatusHistory: demoStatusHistory(enterpriseRows), products: productRows, certificationEvents: productRows.flatMap(demoEvents) };
}

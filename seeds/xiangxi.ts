/**
 * Reference divisions of 湘西土家族苗族自治州: the prefecture, its 8 county-level units (official codes),
 * and for each county a few real towns (乡镇) with a few villages (村) each.
 *
 * Codes below county level are plausible and well-formed (town = county code + 3 digits, village =
 * town code + 3 digits), not the official statistical codes. Town names are real; village names are
 * real where known (十八洞村, 夯沙村, 黄金村, 德夯村, 坪朗村, 隘口村, 牛角山村, 翁草村, 菖蒲塘村, 拉毫村,
 * 老家寨村, 舒家塘村, 司城村, 捞车村, 树比村 …) and plausible otherwise.
 * Poor-village flags and exit years are demo data (十八洞村: poor, exit 2017).
 */

export type DivisionLevel = "PREFECTURE" | "COUNTY" | "TOWNSHIP" | "VILLAGE";

export interface DivisionSeed {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
  isPoorVillage: boolean;
  exitYear: number | null;
}

export const PREFECTURE_CODE = "433100";

/** The 8 county-level units, official codes. */
export const countyCodes = {
  吉首市: "433101",
  泸溪县: "433122",
  凤凰县: "433123",
  花垣县: "433124",
  保靖县: "433125",
  古丈县: "433126",
  永顺县: "433127",
  龙山县: "433130",
} as const;

/** A village: [3-digit suffix, name, exit year if it was a registered poor village, else null]. */
type VillageDef = readonly [suffix: string, name: string, poorExitYear: number | null];
/** A town: [3-digit suffix, name, villages]. */
type TownDef = readonly [suffix: string, name: string, villages: readonly VillageDef[]];

const tree: Record<keyof typeof countyCodes, readonly TownDef[]> = {
  吉首市: [
    ["101", "马颈坳镇", [["201", "隘口村", 2017], ["202", "排吼村", 2018], ["203", "林农村", null]]],
    ["102", "河溪镇", [["201", "香花村", null], ["202", "小溪村", null], ["203", "岩坎村", 2016]]],
    ["103", "矮寨镇", [["201", "德夯村", 2017], ["202", "坪朗村", 2016], ["203", "中黄村", 2018], ["204", "家庭村", null]]],
    ["104", "丹青镇", [["201", "锦坪村", 2019], ["202", "丹青村", null]]],
  ],
  泸溪县: [
    ["101", "浦市镇", [["201", "马王溪村", null], ["202", "岩门村", 2018], ["203", "新堡村", 2017]]],
    ["102", "武溪镇", [["201", "李家田村", 2016], ["202", "红土溪村", null]]],
    ["103", "洗溪镇", [["201", "张家坪村", 2019], ["202", "峒头寨村", 2018], ["203", "洗溪村", null]]],
    ["104", "潭溪镇", [["201", "下都村", 2020], ["202", "梨子坪村", null]]],
  ],
  凤凰县: [
    ["101", "沱江镇", [["201", "桥溪口村", null], ["202", "红岩村", 2017]]],
    ["102", "廖家桥镇", [["201", "菖蒲塘村", 2016], ["202", "拉毫村", 2017], ["203", "永兴坪村", null]]],
    ["103", "山江镇", [["201", "老家寨村", 2018], ["202", "东就村", 2019], ["203", "早岗村", null]]],
    ["104", "阿拉营镇", [["201", "舒家塘村", 2017], ["202", "天星村", null]]],
  ],
  花垣县: [
    ["101", "花垣镇", [["201", "紫霞村", null], ["202", "大龙村", 2018]]],
    ["102", "麻栗场镇", [["201", "沙科村", 2017], ["202", "老寨村", 2019], ["203", "麻栗场村", null]]],
    ["103", "双龙镇", [["201", "十八洞村", 2017], ["202", "金龙村", 2018], ["203", "岩锣村", 2019], ["204", "板栗村", null]]],
    ["104", "雅酉镇", [["201", "扪岱村", 2016], ["202", "高务村", null]]],
  ],
  保靖县: [
    ["101", "迁陵镇", [["201", "陇木村", null], ["202", "和平村", 2018]]],
    ["102", "葫芦镇", [["201", "国茶村", 2017], ["202", "木芽村", 2019], ["203", "傍海村", null]]],
    ["103", "吕洞山镇", [["201", "夯沙村", 2017], ["202", "黄金村", 2016], ["203", "吕洞村", 2018]]],
    ["104", "比耳镇", [["201", "比耳村", null], ["202", "龙溪村", 2020]]],
  ],
  古丈县: [
    ["101", "古阳镇", [["201", "河蓬村", null], ["202", "岩坨村", 2018]]],
    ["102", "默戎镇", [["201", "牛角山村", 2016], ["202", "翁草村", 2017], ["203", "龙鼻村", null]]],
    ["103", "红石林镇", [["201", "老司岩村", 2018], ["202", "坐苦坝村", null]]],
    ["104", "断龙山镇", [["201", "田家洞村", 2017], ["202", "毛坪村", null]]],
  ],
  永顺县: [
    ["101", "灵溪镇", [["201", "司城村", 2018], ["202", "洞坎村", null]]],
    ["102", "芙蓉镇", [["201", "列夕村", 2017], ["202", "红光村", null], ["203", "硕乐村", null]]],
    ["103", "首车镇", [["201", "龙珠村", 2019], ["202", "首车村", null]]],
    ["104", "塔卧镇", [["201", "雨禾村", 2016], ["202", "塔卧村", null]]],
  ],
  龙山县: [
    ["101", "里耶镇", [["201", "长春村", null], ["202", "岩冲村", 2018], ["203", "杨家村", 2017]]],
    ["102", "洗车河镇", [["201", "牙龙村", 2019], ["202", "洗车河村", null]]],
    ["103", "苗儿滩镇", [["201", "捞车村", 2016], ["202", "树比村", 2018]]],
    ["104", "石牌镇", [["201", "桶车村", 2019], ["202", "石牌村", null]]],
  ],
};

function buildDivisionSeeds(): DivisionSeed[] {
  const out: DivisionSeed[] = [
    { code: PREFECTURE_CODE, name: "湘西土家族苗族自治州", level: "PREFECTURE", parentCode: null, isPoorVillage: false, exitYear: null },
  ];
  for (const [name, code] of Object.entries(countyCodes)) {
    out.push({ code, name, level: "COUNTY", parentCode: PREFECTURE_CODE, isPoorVillage: false, exitYear: null });
  }
  for (const [countyName, countyCode] of Object.entries(countyCodes) as [keyof typeof countyCodes, string][]) {
    for (const [townSuffix, townName, villages] of tree[countyName]) {
      const townCode = countyCode + townSuffix;
      out.push({ code: townCode, name: townName, level: "TOWNSHIP", parentCode: countyCode, isPoorVillage: false, exitYear: null });
      for (const [villageSuffix, villageName, exitYear] of villages) {
        out.push({
          code: townCode + villageSuffix,
          name: villageName,
          level: "VILLAGE",
          parentCode: townCode,
          isPoorVillage: exitYear !== null,
          exitYear,
        });
      }
    }
  }
  return out;
}

/** All divisions, parents before children. */
export const divisionSeeds: DivisionSeed[] = buildDivisionSeeds();

/** Village codes used by the demo data (and handy in tests). */
export const villageCodes = {
  十八洞村: "433124103201",
  金龙村: "433124103202",
  沙科村: "433124102201",
  夯沙村: "433125103201",
  黄金村: "433125103202",
  德夯村: "433101103201",
  坪朗村: "433101103202",
  隘口村: "433101101201",
  牛角山村: "433126102201",
  翁草村: "433126102202",
  李家田村: "433122102201",
  岩门村: "433122101202",
  菖蒲塘村: "433123102201",
  老家寨村: "433123103201",
  司城村: "433127101201",
  列夕村: "433127102201",
  岩冲村: "433130101202",
  桶车村: "433130104201",
  捞车村: "433130103201",
} as const;

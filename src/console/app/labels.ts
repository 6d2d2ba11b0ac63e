// Chinese names of the API's enums (the SDL's descriptions), for tables and forms.

export const categoryLabels: Record<string, string> = {
  TEA: "茶叶",
  FRUIT: "水果",
  VEGETABLE: "蔬菜",
  GRAIN_OIL: "粮油",
  MEAT_POULTRY_EGG: "畜禽肉蛋",
  AQUATIC: "水产",
  HERBAL: "中药材",
  PROCESSED_FOOD: "加工食品",
  HANDICRAFT: "手工艺品",
  OTHER: "其他",
};

export const productStatusLabels: Record<string, string> = {
  DRAFT: "草稿",
  SUBMITTED: "已申报",
  CERTIFIED: "已认定",
  REJECTED: "未通过",
  LISTED: "已入录",
  REVOKED: "已撤销认定",
  EXPIRED: "已过期",
};

export const orderStatusLabels: Record<string, string> = {
  RESERVED: "已预订",
  SHIPPED: "已发货",
  DELIVERED: "已验收",
  CANCELLED: "已取消",
  REJECTED: "已拒收",
};

export const roleLabels: Record<string, string> = {
  ADMIN: "管理员",
  REVIEWER: "扶贫办",
  ENTERPRISE: "企业",
  OFFICER: "采购员",
  PARTNER: "合作方",
};

export const counties: { code: string; name: string }[] = [
  { code: "433101", name: "吉首市" },
  { code: "433122", name: "泸溪县" },
  { code: "433123", name: "凤凰县" },
  { code: "433124", name: "花垣县" },
  { code: "433125", name: "保靖县" },
  { code: "433126", name: "古丈县" },
  { code: "433127", name: "永顺县" },
  { code: "433130", name: "龙山县" },
];

/** 1234.5 → "1,234.50" (amounts arrive as decimal strings: no float arithmetic on money). */
export function yuan(amount: string): string {
  const [whole, fraction = "00"] = amount.split(".");
  const negative = whole!.startsWith("-");
  const digits = negative ? whole!.slice(1) : whole!;
  return `${negative ? "-" : ""}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${fraction.padEnd(2, "0").slice(0, 2)}`;
}

/** A rate (0..1) as a percentage with one decimal. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(1)}%`;
}

/** Today in China time (the API's business day), YYYY-MM-DD. */
export function chinaToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

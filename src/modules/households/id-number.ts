import { createHmac } from "node:crypto";

/** GB 11643-1999 citizen ID number: 17 digits and a check character. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error("need 17 digits");
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * WEIGHTS[i]!, 0);
  return CHECK[sum % 11]!;
}

export function validateIdNumber(value: string): { ok: true; normalized: string } | { ok: false; reason: string } {
  const id = value.trim().toUpperCase();
  if (id.length !== 18) return { ok: false, reason: `身份证号应为 18 位 An ID number has 18 characters (got ${id.length})` };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, reason: "身份证号格式不正确 An ID number is 17 digits and a digit or X" };
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (month < 1 || month > 12 || day < 1 || day > 31) return { ok: false, reason: "身份证号出生日期不正确 The birth date inside the ID number is not a date" };
  if (idCheckCharacter(id.slice(0, 17)) !== id[17]) return { ok: false, reason: "身份证号校验码不正确 The ID number's check character is wrong" };
  return { ok: true, normalized: id };
}

/** At most `4331**********1234`: the region's first four and the last four characters. */
export function maskIdNumber(id: string): string {
  return `${id.slice(0, 4)}${"*".repeat(10)}${id.slice(14)}`;
}

/** 张三 → 张*, 欧阳修 → 欧**. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? "*" : `${chars[0]}${"*".repeat(chars.length - 1)}`;
}

/** A keyed hash to match an ID number without storing it (HMAC-SHA256 with a secret key). */
export class IdNumberHasher {
  constructor(private readonly key: string) {}

  hash(normalizedId: string): string {
    return createHmac("sha256", this.key).update(normalizedId, "utf8").digest("hex");
  }
}

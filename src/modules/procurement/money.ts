import { fenToYuan, yuanToFen } from "../../money.js";

/** Money as integer fen (分) in BigInt (src/money.ts): procurement's name for it, kept for its callers. */
export { fenToYuan, yuanToFen as toFen };
const toFen = yuanToFen;

/** `ratio` as a decimal string ("0.10"); the result is rounded up to the fen (a floor is never missed). */
export function minimumShare(canteenTotalYuan: string, ratio: string): string {
  const [whole, fraction = ""] = ratio.split(".");
  const scale = 10n ** BigInt(fraction.length);
  const numerator = BigInt(whole! + fraction);
  const fen = toFen(canteenTotalYuan) * numerator;
  return fenToYuan((fen + scale - 1n) / scale);
}

/** A ratio ("0.1", "0.125") as a percentage string ("10", "12.5"), exactly. */
export function percent(ratio: string): string {
  const [whole, fraction = ""] = ratio.split(".");
  const digits = `${whole}${fraction.padEnd(2, "0")}`;
  const point = whole!.length + 2;
  const integer = digits.slice(0, point).replace(/^0+(?=\d)/, "");
  const rest = digits.slice(point).replace(/0+$/, "");
  return rest ? `${integer}.${rest}` : integer;
}

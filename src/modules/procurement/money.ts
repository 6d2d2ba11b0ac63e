/** Money as integer fen (分) in BigInt: never a float. Strings in and out, as the API and numeric columns use. */
export function toFen(yuan: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (!match) throw new Error(`not an amount: ${yuan}`);
  const fen = BigInt(match[2]!) * 100n + BigInt((match[3] ?? "").padEnd(2, "0"));
  return match[1] ? -fen : fen;
}

export function fenToYuan(fen: bigint): string {
  const sign = fen < 0n ? "-" : "";
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

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

/**
 * Money as integer fen (分) in BigInt, never a float: strings in and out, as the API and the numeric
 * columns use. Shared by every module (like clock.ts).
 */

/** "12.5" → 1250n; at most two decimals. */
export function yuanToFen(yuan: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (!match) throw new Error(`not an amount: ${yuan}`);
  const fen = BigInt(match[2]!) * 100n + BigInt((match[3] ?? "").padEnd(2, "0"));
  return match[1] ? -fen : fen;
}

/** 1250n → "12.50"; negative amounts keep their sign. */
export function fenToYuan(fen: bigint): string {
  const sign = fen < 0n ? "-" : "";
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

/** A decimal ratio ("0.20") as an exact fraction. */
function fraction(ratio: string): { numerator: bigint; denominator: bigint } {
  const [whole, decimals = ""] = ratio.trim().split(".");
  return { numerator: BigInt(whole! + decimals), denominator: 10n ** BigInt(decimals.length) };
}

/**
 * Whether `price` lies within ±`band` (a ratio such as "0.20") of `reference`, both in yuan; exactly
 * at the edge counts as within. Exact: |price − reference| × denominator ≤ reference × numerator.
 */
export function withinBand(reference: string, price: string, band: string): boolean {
  const ref = yuanToFen(reference);
  const diff = yuanToFen(price) - ref;
  const { numerator, denominator } = fraction(band);
  return (diff < 0n ? -diff : diff) * denominator <= ref * numerator;
}

/** A ratio as a percentage for messages: "0.20" → "20", "0.125" → "12.5". */
export function ratioAsPercent(ratio: string): string {
  const { numerator, denominator } = fraction(ratio);
  const hundredths = (numerator * 10_000n) / denominator; // ratios have at most 4 decimals
  const whole = hundredths / 100n;
  const rest = String(hundredths % 100n).padStart(2, "0").replace(/0+$/, "");
  return rest ? `${whole}.${rest}` : String(whole);
}

import { z } from "zod";
import { yuanToFen } from "../money.js";

/**
 * The ceilings of money inputs, each within its numeric column (numeric(p, 2) holds p − 2 digits
 * before the point) and sane for its use. The Decimal scalar itself takes at most 10 digits before
 * the point (numeric(12, 2)); these are the tighter bounds per use.
 */
export const MONEY_CEILING = {
  /** a product's unit price, numeric(12, 2): below a hundred million yuan per sales unit */
  unitPrice: "99999999.99",
  /** a benefit link's yearly income per household, numeric(12, 2) */
  income: "99999999.99",
  /** yearly totals and investments (canteen totals, reserved shares, pairing investments), numeric(14, 2) */
  total: "9999999999.99",
} as const;

/**
 * The one money input schema: yuan as a string with at most two decimals, not negative, at most
 * `max`. A problem is a userError naming the field (parseInput), e.g. "unitPrice: must be at most 99999999.99".
 */
export function money(max: string) {
  const ceiling = yuanToFen(max);
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const message = !/^-?\d+(\.\d{1,2})?$/.test(value)
        ? "must be an amount of yuan with at most two decimals, e.g. 12.50"
        : value.startsWith("-")
          ? "must not be negative"
          : yuanToFen(value) > ceiling
            ? `must be at most ${max}`
            : undefined;
      if (message) ctx.addIssue({ code: "custom", message });
    });
}

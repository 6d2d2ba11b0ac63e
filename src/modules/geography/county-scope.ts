import type DataLoader from "dataloader";
import { InvalidArgumentError } from "../../errors.js";
import type { DivisionRow } from "./division.schema.js";

export const PREFECTURE_CODE = "433100";

/**
 * A `countyCode` filter must name a county of the prefecture, or the prefecture itself (meaning
 * every county). Returns the county to filter by, or undefined for all.
 */
export async function countyScope(
  code: string | undefined,
  divisionByCode: DataLoader<string, DivisionRow | null>,
  argument: string,
): Promise<string | undefined> {
  if (code == null || code === PREFECTURE_CODE) return undefined;
  const division = await divisionByCode.load(code);
  if (!division || division.level !== "COUNTY") {
    throw new InvalidArgumentError(`\`${argument}\`: ${code} is not a county of 湘西州 (use 433100 for the whole prefecture)`, argument);
  }
  return code;
}

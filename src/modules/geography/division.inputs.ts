import { z } from "zod";
import { optional, parseArgument } from "../../graphql/inputs.js";
import type { DivisionFilter } from "./geography.service.js";

/** The divisions' arguments (plain arguments, no input types), validated at the edge. */

export const divisionCode = z.string().regex(/^[0-9]{6}([0-9]{3}){0,2}$/, "must be a division code of 6, 9 or 12 digits");

/** `divisions(parentCode:, level:)`: explicit null equals absent (the level is checked by GraphQL). */
export function parseDivisionFilter(parentCode: string | null | undefined, level: DivisionFilter["level"] | null | undefined): DivisionFilter {
  return { parentCode: parseArgument(optional(divisionCode), parentCode, "parentCode"), level: level ?? undefined };
}

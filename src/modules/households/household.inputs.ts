import { Field, ID, InputType, Int } from "type-graphql";
import { z } from "zod";
import { clearable, idOf, optional } from "../../graphql/inputs.js";
import { HouseholdStatus } from "./household.types.js";
import type { HouseholdChanges, HouseholdFilter as HouseholdFilterArgs, NewHousehold } from "./households.service.js";

const householdNo = z.string().trim().regex(/^[0-9A-Za-z-]{6,32}$/, "6–32 digits, letters or -");
const villageCode = z.string().regex(/^[0-9]{12}$/, "must be a 12-digit village code");
const headName = z.string().trim().min(1, "is required").max(50);
const members = z.number().int().min(1, "at least 1").max(30, "at most 30");
const status = z.enum(["OUT_OF_POVERTY", "IN_POVERTY", "MONITORED_UNSTABLE", "MONITORED_EDGE"]);
const monitoringReason = z.string().trim().max(500);
const exitYear = z.number().int().min(2013).max(2100);

/** The shapes of a household's text fields, for other ways in (the household import checks rows with them). */
export const householdFieldSchemas = { householdNo, headName, monitoringReason };

@InputType()
export class HouseholdFilter {
  @Field(() => String, { nullable: true })
  countyCode?: string;

  @Field(() => String, { nullable: true })
  villageCode?: string;

  @Field(() => HouseholdStatus, { nullable: true })
  status?: keyof typeof HouseholdStatus;

  @Field(() => Boolean, { nullable: true, description: "Only households able and willing to work (true), or the others (false)." })
  laborCapacityAndWillingness?: boolean;
}

/** `countyCode` is only shaped here: whether it names a county is the geography face's `countyScope`. */
export const householdFilterSchema = z.object({
  countyCode: optional(z.string()),
  villageCode: optional(villageCode),
  status: optional(status),
  laborCapacityAndWillingness: optional(z.boolean()),
}) satisfies z.ZodType<HouseholdFilterArgs>;

@InputType()
export class CreateHouseholdInput {
  @Field(() => String)
  householdNo!: string;

  @Field(() => String, { description: "A VILLAGE division code (12 digits)." })
  villageCode!: string;

  @Field(() => String)
  headName!: string;

  @Field(() => String, { description: "户主身份证号 (GB 11643); stored only as a keyed hash and a masked form." })
  headIdNumber!: string;

  @Field(() => Int)
  members!: number;

  @Field(() => Boolean)
  laborCapacity!: boolean;

  @Field(() => Boolean)
  developmentWillingness!: boolean;

  @Field(() => HouseholdStatus)
  status!: keyof typeof HouseholdStatus;

  @Field(() => String, { nullable: true })
  monitoringReason?: string;

  @Field(() => Int, { nullable: true })
  exitYear?: number;
}

/** The ID number's checksum is the service's (it answers with the reason, in Chinese and English). */
const headIdNumber = z.string().trim().min(1, "is required").max(30);

export const createHouseholdSchema = z.object({
  householdNo,
  villageCode,
  headName,
  headIdNumber,
  members,
  laborCapacity: z.boolean(),
  developmentWillingness: z.boolean(),
  status,
  monitoringReason: optional(monitoringReason),
  exitYear: optional(exitYear),
}) satisfies z.ZodType<NewHousehold>;

@InputType()
export class UpdateHouseholdInput {
  @Field(() => ID)
  householdId!: string;

  @Field(() => String, { nullable: true })
  headName?: string;

  @Field(() => String, { nullable: true, description: "Corrects 户主身份证号 (GB 11643); it must head no other household. Stored only as a keyed hash and a masked form." })
  headIdNumber?: string;

  @Field(() => Int, { nullable: true })
  members?: number;

  @Field(() => Boolean, { nullable: true })
  laborCapacity?: boolean;

  @Field(() => Boolean, { nullable: true })
  developmentWillingness?: boolean;

  @Field(() => HouseholdStatus, { nullable: true })
  status?: keyof typeof HouseholdStatus;

  @Field(() => String, { nullable: true })
  monitoringReason?: string;

  @Field(() => Int, { nullable: true })
  exitYear?: number;
}

/**
 * Absent (or null) leaves a fact unchanged; `monitoringReason` and `exitYear` may be cleared with an
 * explicit null (a household leaves monitoring; an exit is withdrawn).
 */
export const updateHouseholdSchema = z
  .object({
    householdId: idOf("Household"),
    headName: optional(headName),
    headIdNumber: optional(headIdNumber),
    members: optional(members),
    laborCapacity: optional(z.boolean()),
    developmentWillingness: optional(z.boolean()),
    status: optional(status),
    monitoringReason: clearable(monitoringReason),
    exitYear: clearable(exitYear),
  })
  .transform(({ householdId, ...changes }): { householdId: string; changes: HouseholdChanges } => ({
    householdId,
    changes: Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
  }));

// A leaf file (no other module's imports): enterprises builds its registration schema from the
// credential schemas while its own files are evaluated, so the face exports this file first.
import { Field, ID, InputType } from "type-graphql";
import { z } from "zod";
import { idOf, optional } from "../../graphql/inputs.js";
import { Role } from "./account.types.js";
import type { NewUser } from "./accounts.service.js";

export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.\-\u4e00-\u9fff]{3,64}$/, "3–64 letters, digits, _ . - or Chinese characters");
export const passwordSchema = z.string().min(10, "must be at least 10 characters").max(200, "must be at most 200 characters");

@InputType()
export class LoginInput {
  @Field(() => String)
  username!: string;

  @Field(() => String)
  password!: string;
}

export const loginSchema = z.object({ username: z.string().trim().min(1, "is required").max(64), password: z.string().min(1, "is required").max(200) });

@InputType()
export class CreateUserInput {
  @Field(() => String)
  username!: string;

  @Field(() => String, { description: "At least 10 characters." })
  password!: string;

  @Field(() => Role)
  role!: keyof typeof Role;

  @Field(() => String, { nullable: true, description: "Reviewers: their county, or 433100 for the prefecture office." })
  divisionCode?: string;

  @Field(() => ID, { nullable: true, description: "Enterprise users: their enterprise." })
  enterpriseId?: string;

  @Field(() => ID, { nullable: true, description: "Officers: their budget unit." })
  budgetUnitId?: string;
}

/**
 * IDs decode here (an officer's unit is the ID `budgetUnits` returns); that they name existing rows
 * is checked by `parseInput` with the context, and the division's level by the service.
 */
export const createUserSchema = z
  .object({
    username: usernameSchema,
    password: passwordSchema,
    role: z.enum(["ADMIN", "REVIEWER", "ENTERPRISE", "OFFICER"]),
    divisionCode: optional(z.string().regex(/^[0-9]{6}$/, "must be a county code or 433100")),
    enterpriseId: optional(idOf("Enterprise")),
    budgetUnitId: optional(idOf("BudgetUnit")),
  })
  .refine((u) => u.role !== "REVIEWER" || u.divisionCode, { message: "a reviewer needs a division", path: ["divisionCode"] })
  .refine((u) => u.role !== "ENTERPRISE" || u.enterpriseId, { message: "an enterprise user needs an enterprise", path: ["enterpriseId"] })
  .refine((u) => u.role !== "OFFICER" || u.budgetUnitId, { message: "an officer needs a budget unit", path: ["budgetUnitId"] }) satisfies z.ZodType<NewUser>;

@InputType()
export class DisableUserInput {
  @Field(() => ID)
  userId!: string;
}

export const disableUserSchema = z.object({ userId: idOf("User") });

import { Field, ID, InputType } from "type-graphql";
import { z } from "zod";
import { idOf, optional } from "../../graphql/inputs.js";
import { passwordSchema, usernameSchema } from "../accounts/index.js";
import type { EnterpriseRegistration } from "./enterprise-registration.service.js";
import { enterpriseKind } from "./enterprise.schema.js";
import { EnterpriseKind } from "./enterprise.types.js";

/**
 * Registration and verification inputs, each next to its zod schema: IDs decoded here, and the
 * output is exactly what EnterpriseRegistrationService takes.
 */

@InputType({ description: "An enterprise registering itself, with its first user account." })
export class RegisterEnterpriseInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "统一社会信用代码, 18 characters, checked by GB 32100." })
  uscc!: string;

  @Field(() => EnterpriseKind)
  kind!: keyof typeof EnterpriseKind;

  @Field(() => String, { description: "The county where it is registered, e.g. 433124." })
  countyCode!: string;

  @Field(() => String, { description: "The first user's username." })
  username!: string;

  @Field(() => String, { description: "At least 10 characters." })
  password!: string;
}

// The credential schemas come from the accounts face, which exports them first (a leaf file), so
// they exist while this file is evaluated.
export const registrationSchema = z.object({
  name: z.string().trim().min(2, "must be at least 2 characters").max(200),
  uscc: z.string().trim().toUpperCase(),
  kind: z.enum(enterpriseKind.enumValues),
  countyCode: z.string().regex(/^[0-9]{6}$/, "must be a 6-digit county code"),
  username: usernameSchema,
  password: passwordSchema,
}) satisfies z.ZodType<EnterpriseRegistration>;

@InputType()
export class VerifyEnterpriseInput {
  @Field(() => ID)
  enterpriseId!: string;

  @Field(() => EnterpriseKind, {
    nullable: true,
    description: "The kind the office confirms (核定类型); omitted: the declared kind is confirmed as it is. Only a confirmed kind counts for the pairing indicator.",
  })
  kind?: keyof typeof EnterpriseKind | null;
}

export const verifyEnterpriseSchema = z.object({ enterpriseId: idOf("Enterprise"), kind: optional(z.enum(enterpriseKind.enumValues)) });

@InputType()
export class ReinstateEnterpriseInput {
  @Field(() => ID)
  enterpriseId!: string;
}

export const reinstateEnterpriseSchema = z.object({ enterpriseId: idOf("Enterprise") });

@InputType()
export class SuspendEnterpriseInput {
  @Field(() => ID)
  enterpriseId!: string;

  @Field(() => String)
  reason!: string;
}

export const suspendEnterpriseSchema = z.object({
  enterpriseId: idOf("Enterprise"),
  reason: z.string().trim().min(1, "is required (暂停须说明理由)").max(2000),
});

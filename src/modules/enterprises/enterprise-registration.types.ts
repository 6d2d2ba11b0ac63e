import { Field, ID, InputType, ObjectType } from "type-graphql";
import { UserError } from "../../graphql/errors.js";
import { User } from "../accounts/index.js";
import { Enterprise, EnterpriseKind } from "./enterprise.types.js";

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

@ObjectType()
export class RegisterEnterprisePayload {
  @Field(() => Enterprise, { nullable: true })
  enterprise?: unknown;

  @Field(() => User, { nullable: true })
  user?: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class VerifyEnterpriseInput {
  @Field(() => ID)
  enterpriseId!: string;
}

@InputType()
export class SuspendEnterpriseInput {
  @Field(() => ID)
  enterpriseId!: string;

  @Field(() => String)
  reason!: string;
}

@ObjectType()
export class VerifyEnterprisePayload {
  @Field(() => Enterprise, { nullable: true })
  enterprise?: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class SuspendEnterprisePayload {
  @Field(() => Enterprise, { nullable: true })
  enterprise?: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

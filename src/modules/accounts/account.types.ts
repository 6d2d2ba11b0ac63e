import { Field, ObjectType, registerEnumType } from "type-graphql";
import { UserError } from "../../graphql/errors.js";
import { PayloadType } from "../../graphql/payload.js";
import { Node } from "../../graphql/node.js";
import { DateTimeScalar } from "../../graphql/scalars.js";

export const Role = { ADMIN: "ADMIN", REVIEWER: "REVIEWER", ENTERPRISE: "ENTERPRISE", OFFICER: "OFFICER" } as const;

registerEnumType(Role, {
  name: "Role",
  valuesConfig: {
    ADMIN: { description: "平台管理员: everything, accounts and API keys" },
    REVIEWER: { description: "扶贫办审核员: bound to a county or the prefecture" },
    ENTERPRISE: { description: "企业用户: its own enterprise and products" },
    OFFICER: { description: "预算单位采购员: bound to a budget unit" },
  },
});

@ObjectType({ implements: Node, description: "A person's account." })
export class User extends Node {
  @Field(() => String)
  username!: string;

  @Field(() => Role)
  role!: keyof typeof Role;

  @Field(() => Boolean)
  disabled!: boolean;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

@ObjectType({ description: "Who is calling." })
export class Viewer {
  @Field(() => User, { nullable: true, description: "The logged-in user (bearer token)." })
  user!: unknown;

  @Field(() => String, { nullable: true, description: "The partner whose API key is in use." })
  partnerName!: string | null;
}

@ObjectType()
export class LoginPayload {
  @Field(() => String, { nullable: true, description: "Send as `Authorization: Bearer <token>`." })
  token?: string;

  @Field(() => DateTimeScalar, { nullable: true })
  expiresAt?: Date;

  @Field(() => Viewer, { nullable: true })
  viewer?: Viewer;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

export const CreateUserPayload = PayloadType("CreateUserPayload", { user: { type: () => User } });

export const DisableUserPayload = PayloadType("DisableUserPayload", { user: { type: () => User } });

import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { UserError } from "../../graphql/errors.js";
import { PayloadType } from "../../graphql/payload.js";
import { DateTimeScalar } from "../../graphql/scalars.js";

export const ApiKeyScope = { CATALOG_READ: "CATALOG_READ", SALES_REPORT: "SALES_REPORT" } as const;

registerEnumType(ApiKeyScope, {
  name: "ApiKeyScope",
  valuesConfig: {
    CATALOG_READ: { description: "读取扶贫产品目录: the certified catalog and incremental sync" },
    SALES_REPORT: { description: "报送销售数据: report sales of catalog products (reportSales) and read its own reports" },
  },
});

@ObjectType({ description: "A partner's API key. The secret is shown once, at creation." })
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  partnerName!: string;

  @Field(() => [ApiKeyScope])
  scopes!: string[];

  @Field(() => String, { description: "The key's first characters, to recognise it." })
  prefix!: string;

  @Field(() => Int)
  requestsPerMinute!: number;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => ApiKey, { nullable: true })
  apiKey?: unknown;

  @Field(() => String, { nullable: true, description: "Send as the `X-Api-Key` header. Shown only now: store it safely." })
  secret?: string;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

export const RevokeApiKeyPayload = PayloadType("RevokeApiKeyPayload", { apiKey: { type: () => ApiKey } });

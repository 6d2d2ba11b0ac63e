import { Field, InputType } from "type-graphql";
import { z } from "zod";
import type { RequestContext } from "../../graphql/context.js";
import { idOf, optional, parseArgument } from "../../graphql/inputs.js";
import { OrderDirection } from "../../graphql/page-args.js";
import { countyScope } from "../geography/index.js";
import { enterpriseKind, enterpriseStatus } from "./enterprise.schema.js";
import { EnterpriseKind, EnterpriseOrderField, EnterpriseStatus } from "./enterprise.types.js";
import type { EnterpriseFilter as EnterpriseQuery, EnterpriseOrder as EnterpriseOrderArgument } from "./enterprises.service.js";

/**
 * The enterprise list's inputs, each next to its zod schema: explicit null equals absent, and the
 * output is exactly what EnterprisesService takes.
 */

@InputType()
export class EnterpriseOrder implements EnterpriseOrderArgument {
  @Field(() => EnterpriseOrderField)
  field!: keyof typeof EnterpriseOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}

export const DEFAULT_ENTERPRISE_ORDER: EnterpriseOrderArgument = { field: "NAME", direction: "ASC" };

@InputType()
export class EnterpriseFilter {
  @Field(() => String, { nullable: true, description: "A county code; the prefecture 433100 means all counties." })
  countyCode?: string;

  @Field(() => EnterpriseKind, { nullable: true })
  kind?: keyof typeof EnterpriseKind;

  @Field(() => EnterpriseStatus, { nullable: true })
  status?: keyof typeof EnterpriseStatus;

  @Field(() => String, { nullable: true, description: "Substring of the name." })
  search?: string;
}

const enterpriseFilterSchema = z.object({
  countyCode: optional(z.string().regex(/^[0-9]{6}$/, "must be a 6-digit county code")),
  kind: optional(z.enum(enterpriseKind.enumValues)),
  status: optional(z.enum(enterpriseStatus.enumValues)),
  search: optional(z.string().trim().min(1, "must not be empty").max(50, "must be at most 50 characters")),
});

/** `enterprises(filter:)`: validated, the county checked (433100 means all). */
export async function parseEnterpriseFilter(filter: EnterpriseFilter | null | undefined, { loaders }: RequestContext): Promise<EnterpriseQuery> {
  const parsed = parseArgument(enterpriseFilterSchema, filter ?? {}, "filter");
  return { ...parsed, countyCode: await countyScope(parsed.countyCode, loaders.divisionByCode, "filter.countyCode") };
}

/** `enterprise(id:)` */
export const enterpriseIdArgument = idOf("Enterprise");

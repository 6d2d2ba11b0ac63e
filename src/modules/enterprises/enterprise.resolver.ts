import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { z } from "zod";
import type { RequestContext } from "../../graphql/context.js";
import { toConnection } from "../../graphql/connection.js";
import { fromGlobalIdOf, toGlobalId } from "../../graphql/global-id.js";
import { PageArguments } from "../../graphql/page-args.js";
import { parseArgument } from "../../graphql/validation.js";
import { countyScope } from "../geography/index.js";
import { Division } from "../geography/index.js";
import type { EnterpriseRow } from "./enterprise.schema.js";
import { Enterprise, EnterpriseConnection, EnterpriseFilter, EnterpriseOrder } from "./enterprise.types.js";

const enterpriseFilterSchema = z.object({
  countyCode: z.string().regex(/^[0-9]{6}$/, "must be a 6-digit county code").optional(),
  kind: z.string().optional(),
  status: z.string().optional(),
  search: z.string().trim().min(1, "must not be empty").max(50, "must be at most 50 characters").optional(),
});

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Query(() => EnterpriseConnection, { description: "经营主体 list, ordered by name unless `orderBy` says otherwise." })
  async enterprises(
    @Arg("filter", () => EnterpriseFilter, { nullable: true }) filter: EnterpriseFilter | undefined,
    @Arg("orderBy", () => EnterpriseOrder, { nullable: true }) orderBy: EnterpriseOrder | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, loaders }: RequestContext,
  ) {
    const parsed = parseArgument(enterpriseFilterSchema, { ...filter }, "filter") as EnterpriseFilter;
    parsed.countyCode = await countyScope(parsed.countyCode, loaders.divisionByCode, "filter.countyCode");
    const order = orderBy ?? { field: "NAME" as const, direction: "ASC" as const };
    return services.enterprises
      .enterprisesPage(parsed, order, page)
      .then((p) => toConnection(p, () => services.enterprises.enterprisesCount(parsed)));
  }

  @Query(() => Enterprise, { nullable: true })
  enterprise(@Arg("id", () => ID) id: string, @Ctx() { loaders }: RequestContext) {
    return loaders.enterpriseById.load(fromGlobalIdOf("Enterprise", id));
  }

  @FieldResolver(() => ID)
  id(@Root() enterprise: EnterpriseRow) {
    return toGlobalId("Enterprise", enterprise.id);
  }

  @FieldResolver(() => Division, { description: "The county (县市) where it is registered." })
  county(@Root() enterprise: EnterpriseRow, @Ctx() { loaders }: RequestContext) {
    return loaders.divisionByCode.load(enterprise.countyCode);
  }
}

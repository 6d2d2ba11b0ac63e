import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context.js";
import { connectionOf } from "../../graphql/connection.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { parseArgument } from "../../graphql/inputs.js";
import { PageArguments } from "../../graphql/page-args.js";
import { Division } from "../geography/index.js";
import { DEFAULT_ENTERPRISE_ORDER, EnterpriseFilter, EnterpriseOrder, enterpriseIdArgument, parseEnterpriseFilter } from "./enterprise.inputs.js";
import type { EnterpriseRow } from "./enterprise.schema.js";
import { Enterprise, EnterpriseConnection } from "./enterprise.types.js";

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Query(() => EnterpriseConnection, { description: "经营主体 list, ordered by name unless `orderBy` says otherwise." })
  async enterprises(
    @Arg("filter", () => EnterpriseFilter, { nullable: true }) filterInput: EnterpriseFilter | undefined,
    @Arg("orderBy", () => EnterpriseOrder, { nullable: true }) orderBy: EnterpriseOrder | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() context: RequestContext,
  ) {
    const filter = await parseEnterpriseFilter(filterInput, context);
    const { services, actor } = context;
    return connectionOf(
      page,
      (args) => services.enterprises.enterprisesPage(filter, orderBy ?? DEFAULT_ENTERPRISE_ORDER, args, actor),
      () => services.enterprises.enterprisesCount(filter, actor),
    );
  }

  @Query(() => Enterprise, { nullable: true })
  enterprise(@Arg("id", () => ID) id: string, @Ctx() { loaders }: RequestContext) {
    return loaders.enterpriseById.load(parseArgument(enterpriseIdArgument, id, "id"));
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

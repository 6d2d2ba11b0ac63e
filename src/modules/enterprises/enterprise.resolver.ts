import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context.js";
import { connectionOf } from "../../graphql/connection.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { parseArgument } from "../../graphql/inputs.js";
import { PageArguments } from "../../graphql/page-args.js";
import { Division } from "../geography/index.js";
import { DEFAULT_ENTERPRISE_ORDER, EnterpriseFilter, EnterpriseOrder, enterpriseIdArgument, parseEnterpriseFilter } from "./enterprise.inputs.js";
import type { EnterpriseRow } from "./enterprise.schema.js";
import { User } from "../accounts/index.js";
import type { EnterpriseStatusRow } from "./enterprise-status.schema.js";
import { maySeeStatusHistory } from "./enterprise.policy.js";
import { Enterprise, EnterpriseConnection, EnterpriseStatusChange } from "./enterprise.types.js";

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

  @FieldResolver(() => [EnterpriseStatusChange], {
    nullable: true,
    description: "Every status change (核实 with the confirmed kind, 暂停 with its reason, 恢复), oldest first. Poverty offices and admins only; null for anyone else.",
  })
  statusHistory(@Root() enterprise: EnterpriseRow, @Ctx() { actor, loaders }: RequestContext) {
    return maySeeStatusHistory(actor) ? loaders.enterpriseStatusHistory.load(enterprise.id) : null;
  }
}

@Resolver(() => EnterpriseStatusChange)
export class EnterpriseStatusChangeResolver {
  @FieldResolver(() => User, { nullable: true, description: "Who made the change (null for the rows backfilled when the history began)." })
  actor(@Root() change: EnterpriseStatusRow, @Ctx() { loaders }: RequestContext) {
    return change.actorUserId ? loaders.userById.load(change.actorUserId) : null;
  }
}

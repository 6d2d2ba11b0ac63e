import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context.js";
import { connectionOf } from "../../graphql/connection.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { parseArgument } from "../../graphql/inputs.js";
import { PageArguments } from "../../graphql/page-args.js";
import { divisionCode, parseDivisionFilter } from "./division.inputs.js";
import type { DivisionRow } from "./division.schema.js";
import { Division, DivisionConnection, DivisionLevel } from "./division.types.js";

@Resolver(() => Division)
export class DivisionResolver {
  @Query(() => DivisionConnection, { description: "Divisions ordered by code; filter by parent and level." })
  divisions(
    @Arg("parentCode", () => String, { nullable: true }) parentCode: string | undefined,
    @Arg("level", () => DivisionLevel, { nullable: true }) level: keyof typeof DivisionLevel | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, actor }: RequestContext,
  ) {
    const filter = parseDivisionFilter(parentCode, level);
    return connectionOf(
      page,
      (args) => services.geography.divisionsPage(filter, args, actor),
      () => services.geography.divisionsCount(filter, actor),
    );
  }

  @Query(() => Division, { nullable: true })
  division(@Arg("code", () => String) code: string, @Ctx() { loaders }: RequestContext) {
    return loaders.divisionByCode.load(parseArgument(divisionCode, code, "code"));
  }

  @FieldResolver(() => ID)
  id(@Root() division: DivisionRow) {
    return toGlobalId("Division", division.code);
  }

  @FieldResolver(() => Division, { nullable: true })
  parent(@Root() division: DivisionRow, @Ctx() { loaders }: RequestContext) {
    return division.parentCode ? loaders.divisionByCode.load(division.parentCode) : null;
  }

  @FieldResolver(() => [Division], { description: "Divisions directly below, ordered by code." })
  children(@Root() division: DivisionRow, @Ctx() { loaders }: RequestContext) {
    return loaders.divisionChildren.load(division.code);
  }
}

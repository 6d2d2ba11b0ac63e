import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { z } from "zod";
import type { RequestContext } from "../../graphql/context.js";
import { toConnection } from "../../graphql/connection.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { PageArguments } from "../../graphql/page-args.js";
import { parseArgument } from "../../graphql/validation.js";
import type { DivisionRow } from "./division.schema.js";
import { Division, DivisionConnection, DivisionLevel } from "./division.types.js";

export const divisionCode = z.string().regex(/^[0-9]{6}([0-9]{3}){0,2}$/, "must be a division code of 6, 9 or 12 digits");

@Resolver(() => Division)
export class DivisionResolver {
  @Query(() => DivisionConnection, { description: "Divisions ordered by code; filter by parent and level." })
  divisions(
    @Arg("parentCode", () => String, { nullable: true }) parentCode: string | undefined,
    @Arg("level", () => DivisionLevel, { nullable: true }) level: keyof typeof DivisionLevel | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services }: RequestContext,
  ) {
    const filter = { parentCode: parentCode == null ? undefined : parseArgument(divisionCode, parentCode, "parentCode"), level };
    return services.geography.divisionsPage(filter, page).then((p) => toConnection(p, () => services.geography.divisionsCount(filter)));
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

import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { connectionOf } from "../../graphql/connection.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { type NodeTypeName, toGlobalId } from "../../graphql/global-id.js";
import { parseArgument, parseInput } from "../../graphql/inputs.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { Division, countyScope } from "../geography/index.js";
import { DataQualityIssueFilter, ResolveDataQualityIssueInput, dataQualityIssueFilterSchema, resolveDataQualityIssueSchema } from "./data-quality.inputs.js";
import type { IssueRow } from "./data-quality.service.js";
import {
  DataQualityCount,
  DataQualityIssue,
  DataQualityIssueConnection,
  DataQualityIssueResolution,
  ResolveDataQualityIssuePayload,
} from "./data-quality.types.js";

@Resolver(() => DataQualityIssue)
export class DataQualityResolver {
  @Authorized("REVIEWER", "ADMIN")
  @Query(() => DataQualityIssueConnection, {
    description: "疑似问题数据: admins and the prefecture office every county's, a county office its own. Default: OPEN issues.",
  })
  async dataQualityIssues(
    @Arg("filter", () => DataQualityIssueFilter, { nullable: true }) filter: DataQualityIssueFilter | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, loaders, actor }: RequestContext,
  ) {
    const parsed = parseArgument(dataQualityIssueFilterSchema, filter ?? {}, "filter");
    const countyCode = await countyScope(parsed.countyCode, loaders.divisionByCode, "filter.countyCode");
    const issueFilter = { ...parsed, countyCode };
    return connectionOf(page, (p) => services.dataQuality.page(actor, issueFilter, p), () => services.dataQuality.count(actor, issueFilter));
  }

  @Authorized("REVIEWER", "ADMIN")
  @Query(() => [DataQualityCount], { description: "Open data-quality issues by rule and county (the dashboard), within what the caller may see." })
  async dataQualitySummary(
    @Arg("countyCode", () => String, { nullable: true }) countyCode: string | undefined,
    @Ctx() { services, loaders, actor }: RequestContext,
  ) {
    return services.dataQuality.summary(actor, await countyScope(countyCode ?? undefined, loaders.divisionByCode, "countyCode"));
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => ResolveDataQualityIssuePayload, {
    description: "CORRECTED (the rule must no longer fire) or CONFIRMED_VALID (silent until the record changes), with a comment; audited.",
  })
  resolveDataQualityIssue(@Arg("input", () => ResolveDataQualityIssueInput) input: ResolveDataQualityIssueInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { issueId, resolution, comment } = await parseInput(resolveDataQualityIssueSchema, input);
      return { issue: await context.services.dataQuality.resolve(commandOf(context), { ...issueId, resolution, comment }) };
    });
  }

  @FieldResolver(() => ID)
  id(@Root() row: IssueRow) {
    return toGlobalId("DataQualityIssue", `${row.rule}:${row.recordId}`);
  }

  @FieldResolver(() => ID)
  recordId(@Root() row: IssueRow) {
    return toGlobalId(row.recordType as NodeTypeName, row.recordId);
  }

  @FieldResolver(() => Division, { nullable: true, description: "The record's county (the prefecture for a unit without one)." })
  county(@Root() row: IssueRow, @Ctx() { loaders }: RequestContext) {
    return loaders.divisionByCode.load(row.countyCode);
  }

  @FieldResolver(() => DataQualityIssueResolution, { nullable: true, description: "The last resolution (also of a reopened issue)." })
  resolution(@Root() row: IssueRow) {
    return row.resolution && row.comment != null && row.resolvedAt ? { resolution: row.resolution, comment: row.comment, resolvedAt: row.resolvedAt } : null;
  }
}

@Resolver(() => DataQualityCount)
export class DataQualityCountResolver {
  @FieldResolver(() => Division, { nullable: true })
  county(@Root() row: { countyCode: string }, @Ctx() { loaders }: RequestContext) {
    return loaders.divisionByCode.load(row.countyCode);
  }
}

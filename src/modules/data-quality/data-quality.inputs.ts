import { Field, ID, InputType } from "type-graphql";
import { z } from "zod";
import { idOf, optional } from "../../graphql/inputs.js";
import { DATA_QUALITY_RULES, type DataQualityRuleName } from "./data-quality.rules.js";
import { DataQualityIssueStatus, DataQualityResolution, DataQualityRule } from "./data-quality.types.js";

@InputType()
export class DataQualityIssueFilter {
  @Field(() => DataQualityRule, { nullable: true })
  rule?: string;

  @Field(() => String, { nullable: true, description: "A county, or 433100 (default) for every county you may see." })
  countyCode?: string;

  @Field(() => DataQualityIssueStatus, { nullable: true, description: "Default OPEN." })
  status?: string;
}

export const dataQualityIssueFilterSchema = z.object({
  rule: optional(z.enum(DATA_QUALITY_RULES)),
  countyCode: optional(z.string()),
  status: optional(z.enum(["OPEN", "CORRECTED", "CONFIRMED_VALID"])),
});

@InputType()
export class ResolveDataQualityIssueInput {
  @Field(() => ID)
  issueId!: string;

  @Field(() => DataQualityResolution)
  resolution!: string;

  @Field(() => String, { description: "Why: what was corrected, or why the record is valid (required)." })
  comment!: string;
}

/** An issue's key `<RULE>:<uuid>`, split; an unknown rule is refused like a malformed ID. */
export function issueKey(key: string): { rule: DataQualityRuleName; recordId: string } | null {
  const colon = key.indexOf(":");
  const rule = key.slice(0, colon);
  return (DATA_QUALITY_RULES as readonly string[]).includes(rule) ? { rule: rule as DataQualityRuleName, recordId: key.slice(colon + 1) } : null;
}

export const resolveDataQualityIssueSchema = z.object({
  issueId: idOf("DataQualityIssue").transform((key, ctx) => {
    const parsed = issueKey(key);
    if (!parsed) {
      ctx.addIssue({ code: "custom", message: "not a data-quality issue ID" });
      return z.NEVER;
    }
    return parsed;
  }),
  resolution: z.enum(["CORRECTED", "CONFIRMED_VALID"]),
  comment: z.string().trim().min(1, "must not be empty").max(2000),
});

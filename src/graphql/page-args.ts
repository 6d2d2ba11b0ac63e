import { ArgsType, Field, Int, registerEnumType } from "type-graphql";

export enum OrderDirection {
  ASC = "ASC",
  DESC = "DESC",
}

registerEnumType(OrderDirection, {
  name: "OrderDirection",
  valuesConfig: { ASC: { description: "升序 ascending" }, DESC: { description: "降序 descending" } },
});

/** Relay pagination arguments; at most 100 per page. */
@ArgsType()
export class PageArguments {
  @Field(() => Int, { nullable: true, description: "Return the first n items after `after` (at most 100; default 20)." })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: "Return the last n items before `before` (at most 100)." })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;
}

import { Field, ObjectType, registerEnumType } from "type-graphql";
import { PageInfo } from "../../graphql/connection.js";
import { Node } from "../../graphql/node.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { Product } from "./product.types.js";

export const CatalogChangeKind = { ADDED: "ADDED", UPDATED: "UPDATED", REMOVED: "REMOVED" } as const;
registerEnumType(CatalogChangeKind, {
  name: "CatalogChangeKind",
  description: "What happened to a product in the public catalog.",
  valuesConfig: {
    ADDED: { description: "入录/恢复: entered the catalog (listed, or back after a suspension)" },
    UPDATED: { description: "变更: public fields changed (`fields`); stock alone is not a change" },
    REMOVED: { description: "移出: left the catalog (`reason`)" },
  },
});

export const CatalogRemovalReason = {
  REVOKED: "REVOKED",
  EXPIRED: "EXPIRED",
  SUSPENDED: "SUSPENDED",
  SENT_BACK_TO_REVIEW: "SENT_BACK_TO_REVIEW",
} as const;
registerEnumType(CatalogRemovalReason, {
  name: "CatalogRemovalReason",
  valuesConfig: {
    REVOKED: { description: "撤销认定: certification revoked" },
    EXPIRED: { description: "过期: the listing's validity ended (announced at midnight China time)" },
    SUSPENDED: { description: "暂停: its enterprise was suspended (ADDED again when reinstated)" },
    SENT_BACK_TO_REVIEW: { description: "重新认定: a certified field or the price beyond the band changed; back to SUBMITTED" },
  },
});

@ObjectType({ implements: Node, description: "One change of the public catalog, in the feed `catalogChanges`." })
export class CatalogChange extends Node {
  @Field(() => String, { description: "Its place in the feed; pass it as `after` to read what follows (opaque: compare nothing)." })
  sequence!: string;

  @Field(() => CatalogChangeKind)
  kind!: string;

  @Field(() => CatalogRemovalReason, { nullable: true, description: "Why it left the catalog (REMOVED only)." })
  reason!: string | null;

  @Field(() => String, { description: "目录编号 of the product." })
  catalogNo!: string;

  @Field(() => Product, {
    nullable: true,
    description: "The product as it is NOW (not as it was at the change), when the caller may see it: null for the public once it has left the catalog.",
  })
  product!: unknown;

  @Field(() => [String], { description: "UPDATED: the public fields that changed (Product field names); otherwise empty." })
  fields!: string[];

  @Field(() => DateTimeScalar, { description: "When the change was written (its transaction's time)." })
  at!: Date;
}

@ObjectType({ description: "An edge of `catalogChanges`.", simpleResolvers: true })
export class CatalogChangeEdge {
  @Field(() => String, { description: "The change's `sequence`, for `after`." })
  cursor!: string;

  @Field(() => CatalogChange)
  node!: CatalogChange;
}

@ObjectType({ description: "A page of the catalog change feed.", simpleResolvers: true })
export class CatalogChangeConnection {
  @Field(() => [CatalogChangeEdge])
  edges!: CatalogChangeEdge[];

  @Field(() => [CatalogChange])
  nodes!: CatalogChange[];

  @Field(() => PageInfo, {
    description: "`endCursor`: where to read on (the last change's `sequence`; the `after` given when no change followed it; with `first: 0`, the feed's current end).",
  })
  pageInfo!: PageInfo;
}

import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { selectedNodePaths } from "../../graphql/selection.js";
import type { CatalogChangeRow } from "./catalog-changes.service.js";
import { CatalogChange, CatalogChangeConnection } from "./catalog-changes.types.js";

@Resolver(() => CatalogChange)
export class CatalogChangesResolver {
  @Query(() => CatalogChangeConnection, {
    description:
      "目录变更: the public catalog's ordered, durable change feed (ADDED, UPDATED, REMOVED with a reason), oldest first. " +
      "Page with `after` = the last `endCursor`: every change comes exactly once, in commit order. Public, like `catalog`. " +
      "At most 100 per page (default 20); `first: 0` answers only `pageInfo.endCursor`, the feed's current end.",
  })
  async catalogChanges(
    @Arg("after", () => String, { nullable: true }) after: string | undefined,
    @Arg("first", () => Int, { nullable: true }) first: number | undefined,
    @Ctx() { services, actor }: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const page = await services.catalogChanges.changesPage(after ?? null, first ?? null);
    const rows = selectedNodePaths(info).has("product") ? await services.catalogChanges.withVisibleProducts(actor, page.rows) : page.rows;
    return {
      edges: rows.map((node) => ({ cursor: node.cursor, node })),
      nodes: rows,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: after != null,
        startCursor: rows[0]?.cursor ?? null,
        endCursor: page.endCursor,
      },
    };
  }

  @FieldResolver(() => ID)
  id(@Root() row: CatalogChangeRow) {
    return toGlobalId("CatalogChange", row.seq);
  }

  @FieldResolver(() => String)
  sequence(@Root() row: CatalogChangeRow) {
    return row.cursor;
  }
}

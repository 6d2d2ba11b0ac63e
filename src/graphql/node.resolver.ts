import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { InvalidArgumentError } from "../errors.js";
import { isInCatalog } from "../modules/catalog/catalog.service.js";
import type { RequestContext } from "./context.js";
import { type DecodedGlobalId, fromGlobalId } from "./global-id.js";
import { Node } from "./node.js";

/** Loads any node through its type's DataLoader; tags it with `__typename` for `Node.resolveType`. */
async function loadNode({ type, key }: DecodedGlobalId, { loaders }: RequestContext): Promise<object | null> {
  switch (type) {
    case "Division": {
      const row = await loaders.divisionByCode.load(key);
      return row && { ...row, __typename: type };
    }
    case "Enterprise": {
      const row = await loaders.enterpriseById.load(key);
      return row && { ...row, __typename: type };
    }
    case "Product": {
      // Anonymous callers see only what the public catalog shows.
      const row = await loaders.productById.load(key);
      return row && isInCatalog(row) ? { ...row, __typename: type } : null;
    }
  }
}

const MAX_NODES = 100;

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: "Any object by its global ID; null when it does not exist or is not visible." })
  node(@Arg("id", () => ID) id: string, @Ctx() context: RequestContext) {
    return loadNode(fromGlobalId(id), context);
  }

  @Query(() => [Node], { nullable: "items", description: `Several objects by global ID (at most ${MAX_NODES}), in the order asked.` })
  nodes(@Arg("ids", () => [ID]) ids: string[], @Ctx() context: RequestContext) {
    if (ids.length > MAX_NODES) {
      throw new InvalidArgumentError(`\`ids\` may hold at most ${MAX_NODES} IDs (got ${ids.length})`, "ids");
    }
    const decoded = ids.map((id, i) => fromGlobalId(id, `ids.${i}`));
    return Promise.all(decoded.map((d) => loadNode(d, context)));
  }
}

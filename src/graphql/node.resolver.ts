import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { InvalidArgumentError } from "../errors.js";
import type { RequestContext } from "./context.js";
import { type DecodedGlobalId, fromGlobalId } from "./global-id.js";
import { Node } from "./node.js";

/**
 * Loads any node through its type's source (a policy-guarded DataLoader of its module), and tags it
 * with `__typename` for `Node.resolveType`. Types with no source are never resolved by ID. Also for
 * fields whose value is any node (a notification's `subject`).
 */
export async function loadNode({ type, key }: DecodedGlobalId, context: RequestContext): Promise<object | null> {
  const source = context.nodeSources[type];
  const row = source ? await source(context, key) : null;
  return row && { ...row, __typename: type };
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
    // All loads start in one tick: each type's DataLoader batches them into one statement.
    const decoded = ids.map((id, i) => fromGlobalId(id, `ids.${i}`));
    return Promise.all(decoded.map((d) => loadNode(d, context)));
  }
}

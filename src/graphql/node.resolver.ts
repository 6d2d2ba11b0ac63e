import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { InvalidArgumentError } from "../errors.js";
import { maySeeProduct } from "../modules/catalog/products.service.js";
import type { RequestContext } from "./context.js";
import { type DecodedGlobalId, fromGlobalId } from "./global-id.js";
import { Node } from "./node.js";

/** Loads any node through its type's DataLoader; tags it with `__typename` for `Node.resolveType`. */
async function loadNode({ type, key }: DecodedGlobalId, { loaders, actor, services }: RequestContext): Promise<object | null> {
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
      // Anonymous callers see only what the public catalog shows; owners and offices see more.
      const row = await loaders.productById.load(key);
      return row && maySeeProduct(actor, row) ? { ...row, __typename: type } : null;
    }
    case "User": {
      const visible = actor.kind === "user" && (actor.role === "ADMIN" || actor.userId === key);
      const row = visible ? await loaders.userById.load(key) : null;
      return row && { ...row, __typename: type };
    }
    case "ApiKey":
      return null; // listed to admins through `apiKeys`, never resolved by ID
    case "BudgetUnit": {
      const row = actor.kind === "user" ? await loaders.budgetUnitById.load(key) : null;
      return row && { ...row, __typename: type };
    }
    case "Quota": {
      const row = await loaders.quotaById.load(key);
      return row && (await services.quotas.mayRead(actor, row.budgetUnitId)) ? { ...row, __typename: type } : null;
    }
    case "Household": {
      // Only offices of its jurisdiction and admins see a household at all.
      const row = await loaders.householdById.load(key);
      return row && services.households.mayRead(actor, row) ? { ...row, __typename: type } : null;
    }
    case "Pairing": {
      const row = await loaders.pairingById.load(key);
      return row && { ...row, __typename: type };
    }
    case "BenefitLink":
      return null; // listed through `benefitLinks`, scoped by role
    case "Order": {
      const row = await loaders.orderById.load(key);
      return row && (await services.orders.mayRead(actor, row)) ? { ...row, __typename: type } : null;
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

import { Field, ID, InterfaceType } from "type-graphql";

/** The type of a value resolved through `node`/`nodes`: the `__typename` its source put on it. */
export function nodeTypeName(value: { __typename?: string }): string | undefined {
  return value.__typename;
}

/** Anything with a global ID. Values resolved through `node`/`nodes` carry their `__typename`. */
@InterfaceType({
  description: "An object with an opaque global ID, fetchable with `node(id:)`.",
  resolveType: nodeTypeName,
})
export abstract class Node {
  @Field(() => ID, { description: "Opaque global ID." })
  id!: string;
}

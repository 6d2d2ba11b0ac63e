import { Field, ID, InterfaceType } from "type-graphql";

/** Anything with a global ID. Values resolved through `node`/`nodes` carry their `__typename`. */
@InterfaceType({
  description: "An object with an opaque global ID, fetchable with `node(id:)`.",
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class Node {
  @Field(() => ID, { description: "Opaque global ID." })
  id!: string;
}

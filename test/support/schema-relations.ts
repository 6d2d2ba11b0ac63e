import { type GraphQLSchema, getNamedType, isInterfaceType, isListType, isNonNullType, isObjectType } from "graphql";

/**
 * Relation fields of the schema: fields of an object type that return a guarded type (one, a list,
 * or a connection of it). Roots, connections/edges and mutation payloads are not "parents": the
 * roots are the lists and `node`, connections are their pages, payloads answer the mutating caller.
 */

export interface Relation {
  parent: string;
  field: string;
  child: string;
  shape: "one" | "list" | "connection";
  /** non-null in the SDL: hiding the child would null the parent with an error */
  required: boolean;
}

const notParents = (name: string) => name === "Query" || name === "Mutation" || /(Payload|Connection|Edge)$/.test(name) || name.startsWith("__");

export function relationsTo(schema: GraphQLSchema, guarded: readonly string[]): Relation[] {
  const relations: Relation[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || notParents(type.name)) continue;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      const inner = isNonNullType(field.type) ? field.type.ofType : field.type;
      const required = isNonNullType(field.type);
      if (guarded.includes(named.name)) {
        relations.push({ parent: type.name, field: field.name, child: named.name, shape: isListType(inner) ? "list" : "one", required });
      } else if ((isObjectType(named) || isInterfaceType(named)) && /Connection$/.test(named.name)) {
        const nodes = named.getFields().nodes;
        const child = nodes && getNamedType(nodes.type).name;
        if (child && guarded.includes(child)) relations.push({ parent: type.name, field: field.name, child, shape: "connection", required });
      }
    }
  }
  return relations.sort((a, b) => `${a.parent}.${a.field}`.localeCompare(`${b.parent}.${b.field}`));
}

/** Types implementing Node: each must be in the guarded list, so a new one is noticed. */
export function nodeTypes(schema: GraphQLSchema): string[] {
  const node = schema.getType("Node");
  if (!node || !isInterfaceType(node)) return [];
  return schema.getPossibleTypes(node).map((t) => t.name).sort();
}

/** The selection of one relation under an alias, asking only for the children's IDs. */
export function relationSelection(relation: Relation): string {
  const alias = aliasOf(relation);
  return relation.shape === "connection" ? `${alias}: ${relation.field}(first: 20) { nodes { id } }` : `${alias}: ${relation.field} { id }`;
}

export const aliasOf = (relation: Relation) => `r_${relation.field}`;

/** The child IDs a parent object shows through a relation (empty when null). */
export function childIds(relation: Relation, parent: Record<string, any>): string[] {
  const value = parent[aliasOf(relation)];
  if (value == null) return [];
  if (relation.shape === "connection") return value.nodes.map((n: { id: string }) => n.id);
  if (relation.shape === "list") return value.filter((v: unknown) => v != null).map((v: { id: string }) => v.id);
  return [value.id];
}

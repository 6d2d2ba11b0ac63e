import { type FragmentDefinitionNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from "graphql";

/**
 * Which fields an operation selects below a connection's nodes (`edges { node { … } }` and
 * `nodes { … }`), as dotted paths ("enterprise", "enterprise.county"), fragments and aliases
 * included, so a resolver can fetch a page's to-one relations in the page's own statement.
 * `@skip`/`@include` are ignored: a path counts when it may be selected (prefetching is only an
 * optimisation; what is fetched and not asked for is not returned).
 */
export function selectedNodePaths(info: GraphQLResolveInfo, depth = 2): Set<string> {
  const paths = new Set<string>();
  for (const node of info.fieldNodes) {
    if (!node.selectionSet) continue;
    for (const [name, selection] of fieldsOf(node.selectionSet, info.fragments)) {
      if (name === "nodes") collect(selection, info.fragments, "", depth, paths);
      if (name === "edges") {
        for (const [edgeField, edgeSelection] of fieldsOf(selection, info.fragments)) {
          if (edgeField === "node") collect(edgeSelection, info.fragments, "", depth, paths);
        }
      }
    }
  }
  return paths;
}

/**
 * Which fields an operation selects below the resolving field itself, as dotted paths ("units",
 * "units.budgetUnit"), fragments and aliases included; `@skip`/`@include` ignored as above.
 */
export function selectedPaths(info: GraphQLResolveInfo, depth = 2): Set<string> {
  const paths = new Set<string>();
  for (const node of info.fieldNodes) if (node.selectionSet) collect(node.selectionSet, info.fragments, "", depth, paths);
  return paths;
}

function collect(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, prefix: string, depth: number, into: Set<string>): void {
  if (depth === 0) return;
  for (const [name, selection] of fieldsOf(set, fragments)) {
    const path = prefix ? `${prefix}.${name}` : name;
    into.add(path);
    if (selection.selections.length > 0) collect(selection, fragments, path, depth - 1, into);
  }
}

/** The fields of a selection set by name, fragments spread in; subselections of one name merged. */
function fieldsOf(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, seen = new Set<string>()): Map<string, SelectionSetNode> {
  const fields = new Map<string, SelectionSetNode>();
  const add = (name: string, sub: SelectionSetNode | undefined) => {
    const previous = fields.get(name);
    const selections = [...(previous?.selections ?? []), ...(sub?.selections ?? [])];
    fields.set(name, { kind: Kind.SELECTION_SET, selections });
  };
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) add(selection.name.value, selection.selectionSet);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      for (const [name, sub] of fieldsOf(selection.selectionSet, fragments, seen)) add(name, sub);
    } else if (selection.kind === Kind.FRAGMENT_SPREAD && !seen.has(selection.name.value)) {
      const fragment = fragments[selection.name.value];
      if (!fragment) continue;
      seen.add(selection.name.value);
      for (const [name, sub] of fieldsOf(fragment.selectionSet, fragments, seen)) add(name, sub);
    }
  }
  return fields;
}

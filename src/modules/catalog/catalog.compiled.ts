import type { FieldNode } from "graphql";
import { type FieldAnswer, type RootFieldCompiler, isBareLeaf, plainFields } from "../../graphql/compiled-reads.js";
import type { RequestContext } from "../../graphql/context.js";
import type { Page, PageArgs } from "../../db/keyset.js";
import { type CatalogFilter, parseCatalogFilter } from "./catalog.inputs.js";
import { type CatalogJsonRow, DEFAULT_PRODUCT_ORDER, type ProductOrder } from "./catalog.service.js";
import { type CompiledNode, type ProductFieldSql, compileProductNode } from "./catalog-json.sql.js";
import type { PageRelation } from "./catalog-page.sql.js";

/**
 * `catalog(filter, orderBy, first, after, last, before)` as a compiled read (src/graphql/compiled-reads.ts):
 * the connection's edges, nodes, pageInfo and totalCount written around the nodes' JSON
 * (catalog-json.sql.ts), from one statement. Arguments are checked by the resolver's own code
 * (parseCatalogFilter, the page plan); whatever that refuses, the caller hands to Apollo.
 */

interface Answered {
  page: Page<CatalogJsonRow>;
  total: number | undefined;
}

/** One member of the connection's selection, written as `"key":value`. */
type Part = (answered: Answered) => string;

const quote = JSON.stringify;

/**
 * The compiler of `catalog`. `productFields`: Product fields of other modules a compiled read may
 * select, as SQL over the product's id (the composition root gathers them).
 */
export function catalogCompiler(productFields: Readonly<Record<string, ProductFieldSql>>): RootFieldCompiler {
  return (field) => {
    const nodes: CompiledNode[] = [];
    const nodeIndex = (selection: FieldNode): number | undefined => {
      const node = compileProductNode(selection.selectionSet, productFields, `n${nodes.length}_`);
      if (!node || (selection.arguments?.length ?? 0) > 0) return undefined;
      nodes.push(node);
      return nodes.length - 1;
    };
    const members = plainFields(field.selectionSet);
    if (!members) return undefined;
    const parts: Part[] = [];
    let counted = false;
    for (const [key, member] of members) {
      const prefix = `${quote(key)}:`;
      switch (member.name.value) {
        case "__typename":
          if (!isBareLeaf(member)) return undefined;
          parts.push(() => `${prefix}"ProductConnection"`);
          break;
        case "totalCount":
          if (!isBareLeaf(member)) return undefined;
          counted = true;
          parts.push(({ total }) => `${prefix}${total}`);
          break;
        case "nodes": {
          const index = nodeIndex(member);
          if (index === undefined) return undefined;
          const node = nodes[index]!;
          parts.push(({ page }) => `${prefix}[${page.rows.map((row) => node.write(row.raw)).join(",")}]`);
          break;
        }
        case "edges": {
          const edge = edgeWriter(member, nodeIndex, nodes);
          if (!edge) return undefined;
          parts.push(({ page }) => `${prefix}[${page.rows.map((row, i) => edge(page, row, i)).join(",")}]`);
          break;
        }
        case "pageInfo": {
          const info = pageInfoWriter(member);
          if (!info) return undefined;
          parts.push(({ page }) => `${prefix}${info(page)}`);
          break;
        }
        default:
          return undefined;
      }
    }
    const relations = new Set<PageRelation>(nodes.flatMap((node) => [...node.relations]));
    const answer: FieldAnswer = async (args, context: RequestContext) => {
      const { services } = context;
      const filter = await parseCatalogFilter(args.filter as CatalogFilter | undefined, context);
      const order = (args.orderBy as ProductOrder | null | undefined) ?? DEFAULT_PRODUCT_ORDER;
      const pageArgs = { first: args.first, after: args.after, last: args.last, before: args.before } as PageArgs;
      const [page, total] = await Promise.all([
        services.catalog.catalogPageJson(
          filter,
          order,
          pageArgs,
          nodes.flatMap((node) => node.columns()),
          relations,
        ),
        counted ? services.catalog.catalogCount(filter) : undefined,
      ]);
      const answered = { page, total };
      return `{${parts.map((part) => part(answered)).join(",")}}`;
    };
    return answer;
  };
}

type EdgeWriter = (page: Page<CatalogJsonRow>, row: CatalogJsonRow, index: number) => string;

function edgeWriter(edges: FieldNode, nodeIndex: (selection: FieldNode) => number | undefined, nodes: readonly CompiledNode[]): EdgeWriter | undefined {
  const members = plainFields(edges.selectionSet);
  if (!members || (edges.arguments?.length ?? 0) > 0) return undefined;
  const parts: EdgeWriter[] = [];
  for (const [key, member] of members) {
    const prefix = `${quote(key)}:`;
    if (member.name.value === "node") {
      const index = nodeIndex(member);
      if (index === undefined) return undefined;
      const node = nodes[index]!;
      parts.push((_page, row) => prefix + node.write(row.raw));
    } else if (member.name.value === "cursor" && isBareLeaf(member)) parts.push((page, _row, i) => prefix + quote(page.cursorAt(i)));
    else if (member.name.value === "__typename" && isBareLeaf(member)) parts.push(() => `${prefix}"ProductEdge"`);
    else return undefined;
  }
  return (page, row, i) => `{${parts.map((part) => part(page, row, i)).join(",")}}`;
}

function pageInfoWriter(pageInfo: FieldNode): ((page: Page<CatalogJsonRow>) => string) | undefined {
  const members = plainFields(pageInfo.selectionSet);
  if (!members || (pageInfo.arguments?.length ?? 0) > 0) return undefined;
  const parts: ((page: Page<CatalogJsonRow>) => string)[] = [];
  for (const [key, member] of members) {
    if (!isBareLeaf(member)) return undefined;
    const prefix = `${quote(key)}:`;
    const last = (page: Page<CatalogJsonRow>) => page.rows.length - 1;
    switch (member.name.value) {
      case "hasNextPage":
        parts.push((page) => prefix + page.hasNextPage);
        break;
      case "hasPreviousPage":
        parts.push((page) => prefix + page.hasPreviousPage);
        break;
      case "startCursor":
        parts.push((page) => prefix + (page.rows.length > 0 ? quote(page.cursorAt(0)) : "null"));
        break;
      case "endCursor":
        parts.push((page) => prefix + (page.rows.length > 0 ? quote(page.cursorAt(last(page))) : "null"));
        break;
      case "__typename":
        parts.push(() => `${prefix}"PageInfo"`);
        break;
      default:
        return undefined;
    }
  }
  return (page) => `{${parts.map((part) => part(page)).join(",")}}`;
}

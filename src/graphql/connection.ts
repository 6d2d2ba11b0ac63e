import { type ClassType, Field, Int, ObjectType } from "type-graphql";
import { type Page, type PageArgs, validatePageArgs } from "../db/keyset.js";

@ObjectType({ description: "Relay page information.", simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/**
 * What a connection resolver returns. `totalCount` is a getter: read only when the field is
 * selected, so the count query runs only then (once, however often it is read). A getter, not a
 * function for graphql's default resolver to call: compiled queries (jit-executor.ts) read plain
 * properties and call no functions they find.
 */
export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  readonly totalCount: Promise<number>;
}

/**
 * An edge whose cursor is encoded only when read (a query that selects no cursor pays nothing). A
 * class with the getter on its prototype: an object literal with a getter made a closure per edge.
 */
class PageEdge<T> implements Edge<T> {
  constructor(
    private readonly page: Page<T>,
    private readonly index: number,
    readonly node: T,
  ) {}

  get cursor(): string {
    return this.page.cursorAt(this.index);
  }
}

export function toConnection<T>(page: Page<T>, countTotal: () => Promise<number>): Connection<T> {
  const last = page.rows.length - 1;
  let counted: Promise<number> | undefined;
  const edges: Edge<T>[] = new Array(page.rows.length);
  for (let i = 0; i <= last; i++) edges[i] = new PageEdge(page, i, page.rows[i]!);
  return {
    // Getters: cursors are encoded only for the fields a query selects.
    edges,
    nodes: page.rows,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      get startCursor() {
        return last >= 0 ? page.cursorAt(0) : null;
      },
      get endCursor() {
        return last >= 0 ? page.cursorAt(last) : null;
      },
    },
    get totalCount() {
      counted ??= countTotal();
      return counted;
    },
  };
}

/** Declares `<Name>Connection` and `<Name>Edge` for a node type. */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class EdgeType {
    @Field(() => String, { description: "Opaque cursor of this node, for `after`/`before`." })
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class ConnectionClass {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => [nodeType], { description: "The nodes of `edges`, for callers that need no cursors." })
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    // A resolver of its own (not simple): the value is a promise, which compiled queries
    // (jit-executor.ts) await only from resolvers, never from a plain property.
    @Field(() => Int, { simple: false, description: "Rows matching the filter across all pages (counted only when asked for)." })
    totalCount!: number;
  }
  return ConnectionClass;
}

/**
 * A list query's whole answer: checks the page arguments, fetches the page, and counts the total
 * only when `totalCount` is selected.
 */
export async function connectionOf<T>(
  args: PageArgs,
  page: (args: PageArgs) => Promise<Page<T>>,
  countTotal: () => Promise<number>,
): Promise<Connection<T>> {
  validatePageArgs(args);
  return toConnection(await page({ ...args }), countTotal);
}

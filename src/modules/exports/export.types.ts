import type { AuthCheckerFn, ResolverData } from "type-graphql";
import type { Page, PageArgs } from "../../db/keyset.js";
import { MAX_PAGE_SIZE } from "../../db/keyset.js";
import { authChecker } from "../../graphql/auth.js";
import type { RequestContext } from "../../graphql/context.js";
import type { ExportParams } from "./params.js";
import type { Table } from "./table.js";

export type ExportFormat = "csv" | "xlsx";

/** What an export answers: its tables and the file's name (an ASCII one for old clients, and the Chinese one). */
export interface ExportFile {
  asciiName: string;
  name: string;
  tables: Table[];
}

/** Checks the caller and the parameters (throwing before anything is sent), and returns the lazy tables. */
export type ExportBuilder = (context: RequestContext, params: ExportParams, format: ExportFormat) => Promise<ExportFile>;

/**
 * The GraphQL equivalent's `@Authorized(...roles)`, decided by the same checker: anonymous callers and
 * partner keys UNAUTHENTICATED (401), other roles FORBIDDEN (403).
 */
export function authorized(context: RequestContext, ...roles: string[]): void {
  // The kit's checker is a function (AuthChecker also admits a class; ours is not one).
  (authChecker as AuthCheckerFn<RequestContext>)({ context } as ResolverData<RequestContext>, roles);
}

/**
 * Every row of a keyset-paginated service list, a page (the largest the services allow) at a time:
 * each page continues after the previous page's last row; nothing is loaded all at once.
 */
export async function* keysetPages<Row>(fetchPage: (args: PageArgs) => Promise<Page<Row>>): AsyncIterable<readonly Row[]> {
  let after: string | undefined;
  for (;;) {
    const page = await fetchPage({ first: MAX_PAGE_SIZE, after });
    if (page.rows.length > 0) yield page.rows;
    if (!page.hasNextPage || page.rows.length === 0) return;
    after = page.cursorAt(page.rows.length - 1);
  }
}

/** Each page turned into rows to write (names looked up through the request's loaders, a page per batch). */
export async function* mapPages<A, B>(pages: AsyncIterable<readonly A[]>, map: (rows: readonly A[]) => Promise<B[]>): AsyncIterable<readonly B[]> {
  for await (const page of pages) yield await map(page);
}

/** "是" or "否" */
export const yesNo = (value: boolean) => (value ? "是" : "否");

import DataLoader from "dataloader";
import { guardedLoader, rowLoader } from "../../graphql/dataloader.js";
import type { RequestContext } from "../../graphql/context.js";
import { divisionPolicy } from "./division.policy.js";
import type { DivisionRow } from "./division.schema.js";

export function createDivisionLoaders(context: RequestContext) {
  const { geography } = context.services;
  const rows = rowLoader<string, DivisionRow>((codes) => geography.divisionsByCodes(codes), (row) => row.code);
  return {
    /** The rows themselves, unguarded: a statement that already read them (a catalog page) primes this cache. */
    divisionRowByCode: rows,
    /** Every path to a division by code (node/nodes, `division(code:)`, every `county`/`village` field): through its policy. */
    divisionByCode: guardedLoader(rows, (loaded) => divisionPolicy.may(context.actor, loaded)),
    /** `Division.children`, the visible ones: every parent's in one statement. */
    divisionChildren: new DataLoader<string, DivisionRow[]>(async (codes) => {
      const byParent = await geography.childrenOf(codes);
      const children = codes.map((code) => byParent.get(code) ?? []);
      const allowed = await divisionPolicy.may(context.actor, children.flat());
      let i = 0;
      return children.map((list) => list.filter(() => allowed[i++]));
    }),
  };
}

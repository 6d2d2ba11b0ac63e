import DataLoader from "dataloader";
import { rowLoader } from "../../graphql/dataloader.js";
import type { DivisionRow } from "./division.schema.js";
import type { RequestContext } from "../../graphql/context.js";

export function createDivisionLoaders({ services: { geography } }: RequestContext) {
  return {
    divisionByCode: rowLoader<string, DivisionRow>((codes) => geography.divisionsByCodes(codes), (row) => row.code),
    divisionChildren: new DataLoader<string, DivisionRow[]>(async (codes) => {
      const byParent = await geography.childrenOf(codes);
      return codes.map((code) => byParent.get(code) ?? []);
    }),
  };
}

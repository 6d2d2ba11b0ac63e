import DataLoader from "dataloader";
import { rowLoader } from "../../graphql/dataloader.js";
import type { DivisionRow } from "./division.schema.js";
import type { GeographyService } from "./geography.service.js";

export function createDivisionLoaders(geography: GeographyService) {
  return {
    divisionByCode: rowLoader<string, DivisionRow>((codes) => geography.divisionsByCodes(codes), (row) => row.code),
    divisionChildren: new DataLoader<string, DivisionRow[]>(async (codes) => {
      const byParent = await geography.childrenOf(codes);
      return codes.map((code) => byParent.get(code) ?? []);
    }),
  };
}

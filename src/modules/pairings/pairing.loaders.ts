import type DataLoader from "dataloader";
import type { EnterpriseRow } from "../enterprises/index.js";
import { guardedLoader, rowLoader } from "../../graphql/dataloader.js";
import type { RequestContext } from "../../graphql/context.js";
import { pairingPolicy } from "./pairing.policy.js";
import type { PairingRow } from "./pairing.schema.js";

export function createPairingLoaders(context: RequestContext) {
  const { pairings } = context.services;
  const pairingRowById = rowLoader<string, PairingRow>((ids) => pairings.pairingsByIds(ids), (row) => row.id);
  return {
    /** Through the pairing policy, and only with its enterprise visible (the public: VERIFIED ones). */
    pairingById: guardedLoader(pairingRowById, async (rows): Promise<boolean[]> => {
      const allowed = await pairingPolicy.may(context.actor, rows);
      const enterpriseById: DataLoader<string, EnterpriseRow | null> = context.loaders.enterpriseById;
      const enterprises = await Promise.all(rows.map((row) => enterpriseById.load(row.enterpriseId)));
      return allowed.map((ok, i) => ok && enterprises[i] != null);
    }),
  };
}

import { guardedLoader, rowLoader } from "../../graphql/dataloader.js";
import type { RequestContext } from "../../graphql/context.js";
import { pairingPolicy } from "./pairing.policy.js";
import type { PairingRow } from "./pairing.schema.js";

export function createPairingLoaders(context: RequestContext) {
  const { pairings } = context.services;
  const pairingRowById = rowLoader<string, PairingRow>((ids) => pairings.pairingsByIds(ids), (row) => row.id);
  return {
    pairingById: guardedLoader(pairingRowById, (rows) => pairingPolicy.may(context.actor, rows)),
  };
}

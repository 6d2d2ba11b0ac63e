/** 千企帮千村: enterprise–village pairings. The module's face. */
import type { NodeSources } from "../../graphql/context.js";
import type { createPairingLoaders } from "./pairing.loaders.js";
import type { PairingsService } from "./pairings.service.js";

export { PairingResolver } from "./pairing.resolver.js";
export { PairingsService, activeOn } from "./pairings.service.js";
export { createPairingLoaders } from "./pairing.loaders.js";
export { pairingPolicy } from "./pairing.policy.js";
export { villagePairedOn } from "./pairing.sql.js";
export { Pairing } from "./pairing.types.js";
export { pairings, pairingMode, type PairingRow } from "./pairing.schema.js";

export const pairingNodeSources: NodeSources = {
  Pairing: (context, key) => context.loaders.pairingById.load(key),
};

declare module "../../graphql/context.js" {
  interface Services {
    pairings: PairingsService;
  }
  interface Loaders extends ReturnType<typeof createPairingLoaders> {}
}

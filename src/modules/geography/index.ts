/** 行政区划: places (州 → 县市 → 乡镇 → 村). The module's face: nothing outside imports another file of it. */
import type { NodeSources } from "../../graphql/context.js";
import type { createDivisionLoaders } from "./division.loaders.js";
import type { GeographyService } from "./geography.service.js";

export { DivisionResolver } from "./division.resolver.js";
export { GeographyService } from "./geography.service.js";
export { createDivisionLoaders } from "./division.loaders.js";
export { divisionPolicy } from "./division.policy.js";
export { Division, DivisionLevel } from "./division.types.js";
export { divisions, divisionLevel, type DivisionRow } from "./division.schema.js";
export { PREFECTURE_CODE, countyScope } from "./county-scope.js";
/** SQL pieces other modules compose instead of naming the divisions table. */
export { poorVillages } from "./division.sql.js";

/** `node`/`nodes`: through the guarded loader, i.e. the division policy. */
export const geographyNodeSources: NodeSources = {
  Division: (context, key) => context.loaders.divisionByCode.load(key),
};

declare module "../../graphql/context.js" {
  interface Services {
    geography: GeographyService;
  }
  interface Loaders extends ReturnType<typeof createDivisionLoaders> {}
}

/** 经营主体: enterprises, their registration and verification. The module's face. */
import type { NodeSources } from "../../graphql/context.js";
import type { createEnterpriseLoaders } from "./enterprise.loaders.js";
import type { EnterpriseRegistrationService } from "./enterprise-registration.service.js";
import type { EnterprisesService } from "./enterprises.service.js";

export { EnterpriseResolver, EnterpriseStatusChangeResolver } from "./enterprise.resolver.js";
export { EnterpriseRegistrationResolver } from "./enterprise-registration.resolver.js";
export { EnterprisesService } from "./enterprises.service.js";
export { EnterpriseRegistrationService } from "./enterprise-registration.service.js";
export { createEnterpriseLoaders } from "./enterprise.loaders.js";
export { enterprisePolicy } from "./enterprise.policy.js";
/** SQL pieces other modules compose instead of naming the enterprises table (see enterprise.sql.ts). */
export {
  enterpriseNameContains,
  enterpriseIsVerified,
  joinedEnterpriseIsVerified,
  enterpriseStandingsOn,
  leadingOrScaleEnterpriseIds,
  enterprisesSuspendedOn,
  suspendedOnDay,
  assertEnterpriseVerified,
  notVerified,
} from "./enterprise.sql.js";
export { Enterprise, EnterpriseKind, EnterpriseStatus } from "./enterprise.types.js";
export { enterprises, enterpriseKind, enterpriseStatus, type EnterpriseRow } from "./enterprise.schema.js";
export { enterpriseStatusHistory, type EnterpriseStatusRow } from "./enterprise-status.schema.js";
export { USCC_ALPHABET, isValidUscc, usccCheckCharacter, validateUscc } from "./uscc.js";

/** `node`/`nodes`: through the guarded loader, i.e. the enterprise policy. */
export const enterpriseNodeSources: NodeSources = {
  Enterprise: (context, key) => context.loaders.enterpriseById.load(key),
};

declare module "../../graphql/context.js" {
  interface Services {
    enterprises: EnterprisesService;
    registration: EnterpriseRegistrationService;
  }
  interface Loaders extends ReturnType<typeof createEnterpriseLoaders> {}
}

import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { AccountResolver, ViewerResolver } from "../modules/accounts/account.resolver.js";
import { ApiKeyResolver } from "../modules/api-keys/api-key.resolver.js";
import { AuditResolver } from "../modules/audit/audit.resolver.js";
import { CatalogResolver, EnterpriseProductsResolver } from "../modules/catalog/catalog.resolver.js";
import { ProductEditingResolver } from "../modules/catalog/product-editing.resolver.js";
import { CertificationEventResolver, CertificationResolver } from "../modules/certification/certification.resolver.js";
import { EnterpriseRegistrationResolver } from "../modules/enterprises/enterprise-registration.resolver.js";
import { EnterpriseResolver } from "../modules/enterprises/enterprise.resolver.js";
import { DivisionResolver } from "../modules/geography/division.resolver.js";
import { BudgetUnitResolver } from "../modules/procurement/budget-unit.resolver.js";
import { ConsumptionProgressResolver } from "../modules/procurement/consumption-progress.resolver.js";
import { OrderResolver } from "../modules/procurement/order.resolver.js";
import { QuotaResolver } from "../modules/procurement/quota.resolver.js";
import { BenefitLinkResolver, ProductBeneficiariesResolver } from "../modules/benefit-links/benefit-link.resolver.js";
import { HouseholdResolver } from "../modules/households/household.resolver.js";
import { IndicatorResolver } from "../modules/indicators/indicator.resolver.js";
import { PairingResolver } from "../modules/pairings/pairing.resolver.js";
import { authChecker } from "./auth.js";
import { UserError } from "./errors.js";
import { NodeResolver } from "./node.resolver.js";

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, assembled from the modules' resolvers (built once per process). */
export function buildApiSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [
      NodeResolver,
      DivisionResolver,
      EnterpriseResolver,
      EnterpriseRegistrationResolver,
      CatalogResolver,
      EnterpriseProductsResolver,
      ProductEditingResolver,
      CertificationResolver,
      CertificationEventResolver,
      AccountResolver,
      ViewerResolver,
      ApiKeyResolver,
      AuditResolver,
      BudgetUnitResolver,
      QuotaResolver,
      ConsumptionProgressResolver,
      OrderResolver,
      HouseholdResolver,
      PairingResolver,
      BenefitLinkResolver,
      ProductBeneficiariesResolver,
      IndicatorResolver,
    ],
    authChecker,
    authMode: "error",
    // UserError is part of the published contract before the first mutation uses it.
    orphanedTypes: [UserError],
    validate: false,
    emitSchemaFile: false,
  });
  return built;
}

import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import type { StatementTally } from "../db/statement-tally.js";
import { type Actor, type Command, anonymous } from "../modules/accounts/actor.js";
import { AccountsService } from "../modules/accounts/accounts.service.js";
import { createAccountLoaders } from "../modules/accounts/account.loaders.js";
import { LoginThrottle } from "../modules/accounts/login-throttle.js";
import { TokenIssuer } from "../modules/accounts/token.js";
import { ApiKeysService } from "../modules/api-keys/api-keys.service.js";
import { RateLimitService } from "../modules/api-keys/rate-limit.service.js";
import { AuditService } from "../modules/audit/audit.service.js";
import { CatalogService } from "../modules/catalog/catalog.service.js";
import { createProductLoaders } from "../modules/catalog/product.loaders.js";
import { ProductsService } from "../modules/catalog/products.service.js";
import { CertificationService } from "../modules/certification/certification.service.js";
import { EnterpriseRegistrationService } from "../modules/enterprises/enterprise-registration.service.js";
import { createEnterpriseLoaders } from "../modules/enterprises/enterprise.loaders.js";
import { EnterprisesService } from "../modules/enterprises/enterprises.service.js";
import { BenefitLinksService } from "../modules/benefit-links/benefit-links.service.js";
import { createIndustryLoaders } from "../modules/benefit-links/industry.loaders.js";
import { HouseholdsService } from "../modules/households/households.service.js";
import { IdNumberHasher } from "../modules/households/id-number.js";
import { IndicatorsService } from "../modules/indicators/indicators.service.js";
import { PairingsService } from "../modules/pairings/pairings.service.js";
import { BudgetUnitsService } from "../modules/procurement/budget-units.service.js";
import { ConsumptionProgressService } from "../modules/procurement/consumption-progress.service.js";
import { OrdersService } from "../modules/procurement/orders.service.js";
import { createProcurementLoaders } from "../modules/procurement/procurement.loaders.js";
import { QuotaRatios, QuotasService } from "../modules/procurement/quotas.service.js";
import { createDivisionLoaders } from "../modules/geography/division.loaders.js";
import { GeographyService } from "../modules/geography/geography.service.js";

/** The services, built once per process. */
export function createServices(database: Database, config: Config) {
  const audit = new AuditService(database);
  const geography = new GeographyService(database);
  const enterprises = new EnterprisesService(database);
  const catalog = new CatalogService(database);
  const accounts = new AccountsService(
    database,
    new TokenIssuer(config.JWT_SECRET, config.TOKEN_TTL_SECONDS),
    new LoginThrottle(database, {
      maxPerUser: config.LOGIN_MAX_FAILURES_PER_USER,
      maxPerAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
    }),
    audit,
  );
  const certification = new CertificationService(database, audit, config.LISTING_VALIDITY_YEARS);
  const budgetUnits = new BudgetUnitsService(database, audit, geography);
  // Development and tests use a fixed key so stored hashes survive restarts; production must set its own.
  const households = new HouseholdsService(database, audit, geography, new IdNumberHasher(config.ID_HASH_KEY ?? "development-only-id-hash-key-xxxxxxxxxxxx"));
  const pairings = new PairingsService(database, audit, enterprises, geography);
  const quotas = new QuotasService(database, audit, budgetUnits, new QuotaRatios(config.QUOTA_MIN_RATIOS, config.QUOTA_DEFAULT_MIN_RATIO));
  return {
    households,
    pairings,
    benefitLinks: new BenefitLinksService(database, audit, households, pairings, catalog),
    indicators: new IndicatorsService(database),
    budgetUnits,
    quotas,
    orders: new OrdersService(database, audit, quotas, catalog, config.ORDER_MAX_QUANTITY),
    consumption: new ConsumptionProgressService(database),
    audit,
    geography,
    enterprises,
    catalog,
    accounts,
    certification,
    apiKeys: new ApiKeysService(database, audit, config.RATE_LIMIT_API_KEY_PER_MINUTE),
    rateLimits: new RateLimitService(database),
    registration: new EnterpriseRegistrationService(database, audit, accounts, geography),
    products: new ProductsService(database, audit, enterprises, geography, certification, catalog),
  };
}

export type Services = ReturnType<typeof createServices>;

function createLoaders(services: Services) {
  return {
    ...createDivisionLoaders(services.geography),
    ...createEnterpriseLoaders(services.enterprises),
    ...createProductLoaders(services.catalog, services.certification),
    ...createAccountLoaders(services.accounts),
    ...createProcurementLoaders(services.budgetUnits, services.quotas, services.orders),
    ...createIndustryLoaders(services.households, services.pairings, services.benefitLinks),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** One request: who calls, its id, logger, fresh DataLoaders, and the tally of its SQL statements. */
export interface RequestContext {
  requestId: string;
  actor: Actor;
  /** the caller's address, for login throttling */
  clientAddress: string;
  logger: Logger;
  services: Services;
  loaders: Loaders;
  tally: StatementTally;
  /** Filled in as the request runs, for its log line. An object, because Apollo shallow-copies the context. */
  outcome: { operationName: string | null; errorCount: number };
}

const requestIdPattern = /^[A-Za-z0-9._-]{8,64}$/;

export function createRequestContext(
  services: Services,
  logger: Logger,
  options: { requestId?: string | undefined; tally?: StatementTally; actor?: Actor; clientAddress?: string } = {},
): RequestContext {
  const requestId = options.requestId && requestIdPattern.test(options.requestId) ? options.requestId : randomUUID();
  return {
    requestId,
    actor: options.actor ?? anonymous,
    clientAddress: options.clientAddress ?? "unknown",
    logger: logger.child({ requestId }),
    services,
    loaders: createLoaders(services),
    tally: options.tally ?? { count: 0 },
    outcome: { operationName: null, errorCount: 0 },
  };
}

/** The command a mutation hands its service. */
export function commandOf(context: RequestContext): Command {
  return { actor: context.actor, requestId: context.requestId };
}

import type { Server } from "node:http";
import type { ApolloServer } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import type { Logger } from "pino";
import { setBusinessTimeZone } from "./clock.js";
import type { Config } from "./config.js";
import type { Database } from "./db/client.js";
import { createApolloServer } from "./graphql/apollo.js";
import type { ContextFactory, Loaders, NodeSources, RequestContext, Services } from "./graphql/context.js";
import { CompiledReads } from "./graphql/compiled-reads.js";
import { buildApiSchema } from "./graphql/schema.js";
import { lazyLoaderGroups } from "./graphql/dataloader.js";
import { closeGracefully, createHttpServer, listen } from "./http/server.js";
import { PUBLIC_READ_CHANGED, ResponseCache } from "./http/response-cache.js";
import * as accounts from "./modules/accounts/index.js";
import * as apiKeys from "./modules/api-keys/index.js";
import * as audit from "./modules/audit/index.js";
import * as benefitLinks from "./modules/benefit-links/index.js";
import * as catalog from "./modules/catalog/index.js";
import * as certification from "./modules/certification/index.js";
import * as collectiveIncome from "./modules/collective-income/index.js";
import * as dataQuality from "./modules/data-quality/index.js";
import * as enterprises from "./modules/enterprises/index.js";
import * as geography from "./modules/geography/index.js";
import * as households from "./modules/households/index.js";
import * as householdImport from "./modules/household-import/index.js";
import * as notifications from "./modules/notifications/index.js";
import * as indicators from "./modules/indicators/index.js";
import * as pairings from "./modules/pairings/index.js";
import * as procurement from "./modules/procurement/index.js";
import * as sales from "./modules/sales/index.js";
import * as webhooks from "./modules/webhooks/index.js";

/**
 * The composition root: builds every module's service from its face and wires them together.
 * The only place that knows every module (src/graphql and src/db know none).
 */
export function createServices(database: Database, config: Config): Services {
  setBusinessTimeZone(config.BUSINESS_TIME_ZONE);
  const auditService = new audit.AuditService(database);
  const geographyService = new geography.GeographyService(database);
  const enterprisesService = new enterprises.EnterprisesService(database);
  // An officer also sees the products its units have ordered: procurement's SQL piece, injected here
  // because catalog does not import procurement.
  const productPolicy = catalog.createProductPolicy(database, { productIdsOrderedBySubtree: procurement.productIdsOrderedBySubtree });
  const catalogService = new catalog.CatalogService(database, productPolicy);
  const accountsService = new accounts.AccountsService(
    database,
    new accounts.TokenIssuer(config.JWT_SECRET, config.TOKEN_TTL_SECONDS),
    new accounts.LoginThrottle(database, {
      maxPerUser: config.LOGIN_MAX_FAILURES_PER_USER,
      maxPerAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
      lockoutBaseSeconds: config.LOGIN_LOCKOUT_BASE_SECONDS,
      lockoutMaxSeconds: config.LOGIN_LOCKOUT_MAX_SECONDS,
    }),
    auditService,
    geographyService,
  );
  const certificationService = new certification.CertificationService(database, auditService, config.LISTING_VALIDITY_YEARS);
  const budgetUnits = new procurement.BudgetUnitsService(database, auditService, geographyService);
  // Development and tests use a fixed key so stored hashes survive restarts; production must set its own.
  const idHasher = new households.IdNumberHasher(config.ID_HASH_KEY ?? "development-only-id-hash-key-xxxxxxxxxxxx");
  const householdsService = new households.HouseholdsService(database, auditService, geographyService, idHasher);
  const pairingsService = new pairings.PairingsService(database, auditService, enterprisesService, geographyService);
  const quotaRatios = new procurement.QuotaRatios(config.QUOTA_MIN_RATIOS, config.QUOTA_DEFAULT_MIN_RATIO);
  const quotas = new procurement.QuotasService(database, auditService, budgetUnits, quotaRatios);
  return {
    audit: auditService,
    geography: geographyService,
    enterprises: enterprisesService,
    registration: new enterprises.EnterpriseRegistrationService(
      database,
      auditService,
      accountsService,
      geographyService,
      async (tx, enterpriseId, wasVerified) => {
        await catalog.announceEnterpriseStanding(tx, enterpriseId, wasVerified);
      },
    ),
    catalog: catalogService,
    catalogChanges: new catalog.CatalogChangesService(database, catalogService),
    products: new catalog.ProductsService(
      database,
      auditService,
      enterprisesService,
      geographyService,
      certificationService,
      catalogService,
      config.PRICE_REVIEW_BAND,
    ),
    certification: certificationService,
    accounts: accountsService,
    apiKeys: new apiKeys.ApiKeysService(database, auditService, config.RATE_LIMIT_API_KEY_PER_MINUTE),
    rateLimits: new apiKeys.RateLimitService(database, {
      apiKeyPerMinute: config.RATE_LIMIT_API_KEY_PER_MINUTE,
      userPerMinute: config.RATE_LIMIT_USER_PER_MINUTE,
      anonymousPerMinute: config.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
    }),
    budgetUnits,
    quotas,
    orders: new procurement.OrdersService(database, auditService, quotas, catalogService, config.ORDER_MAX_QUANTITY),
    consumption: new procurement.ConsumptionProgressService(database),
    households: householdsService,
    householdImport: new householdImport.HouseholdImportService(database, auditService, idHasher, {
      statementTimeoutMs: config.IMPORT_STATEMENT_TIMEOUT_MS,
      maxReportedErrors: config.IMPORT_MAX_REPORTED_ERRORS,
    }),
    pairings: pairingsService,
    benefitLinks: new benefitLinks.BenefitLinksService(database, auditService, householdsService, pairingsService, catalogService),
    indicators: new indicators.IndicatorsService(database, config.LISTING_VALIDITY_YEARS),
    dataQuality: new dataQuality.DataQualityService(database, auditService, config.DATA_QUALITY_MAX_LINK_INCOME),
    notifications: new notifications.NotificationsService(database),
    salesReports: new sales.SalesReportsService(database, auditService, config.SALES_PRICE_BAND, config.LISTING_VALIDITY_YEARS),
    consumptionSales: new sales.ConsumptionSalesService(database),
    collectiveIncome: new collectiveIncome.CollectiveIncomeService(database, auditService, geographyService),
    collectiveIncomeImport: new collectiveIncome.CollectiveIncomeImportService(database, auditService, {
      statementTimeoutMs: config.IMPORT_STATEMENT_TIMEOUT_MS,
      maxReportedErrors: config.IMPORT_MAX_REPORTED_ERRORS,
    }),
    webhooks: new webhooks.WebhooksService(database, auditService, { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE }),
  };
}

/** A request's DataLoaders, from every module: each module's built when the request first reads one of them. */
const createLoaders = lazyLoaderGroups<RequestContext, Loaders>([
  geography.createDivisionLoaders,
  enterprises.createEnterpriseLoaders,
  catalog.createProductLoaders,
  certification.createCertificationLoaders,
  accounts.createAccountLoaders,
  procurement.createProcurementLoaders,
  households.createHouseholdLoaders,
  pairings.createPairingLoaders,
  benefitLinks.createBenefitLinkLoaders,
  notifications.createNotificationLoaders,
  sales.createSalesLoaders,
  webhooks.createWebhookLoaders,
]);

/** How `node`/`nodes` reach each type: through the owning module's policy-guarded source. */
const nodeSources: NodeSources = {
  ...geography.geographyNodeSources,
  ...enterprises.enterpriseNodeSources,
  ...catalog.catalogNodeSources,
  ...accounts.accountNodeSources,
  ...procurement.procurementNodeSources,
  ...households.householdNodeSources,
  ...pairings.pairingNodeSources,
  ...benefitLinks.benefitLinkNodeSources,
  ...dataQuality.dataQualityNodeSources,
  ...notifications.notificationNodeSources,
  ...sales.salesNodeSources,
  ...webhooks.webhookNodeSources,
};

const resolvers = [
  geography.DivisionResolver,
  enterprises.EnterpriseResolver,
  enterprises.EnterpriseRegistrationResolver,
  enterprises.EnterpriseStatusChangeResolver,
  catalog.CatalogResolver,
  catalog.EnterpriseProductsResolver,
  catalog.ProductEditingResolver,
  catalog.CatalogChangesResolver,
  certification.CertificationResolver,
  certification.CertificationEventResolver,
  certification.CertificationActorResolver,
  accounts.AccountResolver,
  accounts.ViewerResolver,
  apiKeys.ApiKeyResolver,
  audit.AuditResolver,
  procurement.BudgetUnitResolver,
  procurement.QuotaResolver,
  procurement.QuotaRevisionResolver,
  procurement.ConsumptionProgressResolver,
  procurement.ConsumptionProgressFieldsResolver,
  procurement.OrderResolver,
  households.HouseholdResolver,
  pairings.PairingResolver,
  benefitLinks.BenefitLinkResolver,
  benefitLinks.ProductBeneficiariesResolver,
  indicators.IndicatorResolver,
  indicators.ExpiringListingResolver,
  dataQuality.DataQualityResolver,
  dataQuality.DataQualityCountResolver,
  notifications.NotificationResolver,
  sales.SalesReportResolver,
  sales.ConsumptionSalesResolver,
  sales.ConsumptionSalesRecordResolver,
  sales.EnterpriseSalesResolver,
  collectiveIncome.CollectiveIncomeResolver,
  collectiveIncome.VillageCollectiveIncomeResolver,
  indicators.CollectiveIncomeCoverageResolver,
  webhooks.WebhookSubscriptionResolver,
  webhooks.WebhookDeliveryResolver,
];

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema (built once per process). */
export function apiSchema(): Promise<GraphQLSchema> {
  built ??= buildApiSchema(resolvers);
  return built;
}

/**
 * The read shapes answered without graphql execution (src/graphql/compiled-reads.ts): `catalog`, with
 * the Product fields other modules contribute to it.
 */
export async function createCompiledReads(config: Config): Promise<CompiledReads> {
  return new CompiledReads({
    schema: await apiSchema(),
    roots: { catalog: catalog.catalogCompiler({ beneficiaryHouseholdCount: (productId) => benefitLinks.beneficiaryHouseholdCountOf(productId) }) },
    limits: { maxDepth: config.MAX_QUERY_DEPTH, maxAliases: config.MAX_QUERY_ALIASES, maxCost: config.MAX_QUERY_COST },
    maxTokens: config.MAX_QUERY_TOKENS,
  });
}

/** What the kit needs to make each request's context. */
export function contextFactory(services: Services): ContextFactory {
  return { services, createLoaders, nodeSources };
}

export interface App {
  apollo: ApolloServer<RequestContext>;
  services: Services;
  server: Server;
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, finishes in-flight requests, stops Apollo. Closing the database is the caller's. */
  stop(): Promise<void>;
}

/** Wires schema, Apollo and the HTTP server onto an open, migrated database. */
export async function createApp(config: Config, database: Database, logger: Logger): Promise<App> {
  const apollo = createApolloServer(await apiSchema(), config);
  await apollo.start();
  const services = createServices(database, config);
  const responseCache = new ResponseCache({
    maxEntries: config.RESPONSE_CACHE_ENTRIES,
    maxBytes: config.RESPONSE_CACHE_MAX_BYTES,
    ttlMs: config.RESPONSE_CACHE_TTL_MS,
  });
  // Every replica empties its cache when a change to public data commits anywhere (migration 0013).
  const unlisten = responseCache.enabled
    ? await database.listen(PUBLIC_READ_CHANGED, () => responseCache.invalidate(), () => responseCache.invalidate())
    : async () => {};
  const compiledReads = config.COMPILED_READS ? await createCompiledReads(config) : undefined;
  const server = createHttpServer({ apollo, database, contexts: contextFactory(services), logger, config, responseCache, compiledReads });
  // 过期: announces expired listings in the change feed at each business day's turn (one replica at a time).
  const expiry = new catalog.CatalogExpiryJob(database, { logger });
  expiry.start();
  const worker = config.WEBHOOK_WORKER ? startWebhookWorker(config, database, services, logger) : undefined;
  // New outbox events are fanned out as they commit (on any replica), not at the worker's next poll. Not
  // awaited: the server does not wait for it, and the poll covers a listener that could not start.
  const channel = webhooks.outboxWebhookSource.channel;
  const unlistenOutbox: Promise<() => Promise<void>> =
    worker && channel
      ? database.listen(channel, () => worker.eventsCommitted(), () => worker.eventsCommitted()).catch((error: unknown) => {
          logger.warn({ err: error }, "webhook worker: not listening for new outbox events; it finds them by polling");
          return async () => {};
        })
      : Promise.resolve(async () => {});
  let stopping: Promise<void> | undefined;
  return {
    apollo,
    services,
    server,
    listen: (port, host) => listen(server, port, host),
    stop() {
      stopping ??= (async () => {
        await Promise.all([
          server.listening ? closeGracefully(server, config.SHUTDOWN_GRACE_MS) : undefined,
          // Attempts under way may finish; the rest are given back, unsent, for another replica.
          worker?.stop(Math.min(config.SHUTDOWN_GRACE_MS, config.WEBHOOK_TIMEOUT_MS)),
        ]);
        await expiry.stop();
        await unlisten().catch(() => {});
        // A listener still connecting (the database away) is not waited for beyond a second.
        await Promise.race([unlistenOutbox.then((stop) => stop()), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]).catch(() => {});
        await apollo.stop();
      })();
      return stopping;
    },
  };
}

/** The webhook delivery worker of this replica: fans outbox events out and sends due deliveries. */
function startWebhookWorker(config: Config, database: Database, services: Services, logger: Logger): webhooks.WebhookWorker {
  const worker = new webhooks.WebhookWorker(
    new webhooks.WebhookQueue(database),
    new webhooks.WebhookSender({ allowPrivate: config.WEBHOOK_ALLOW_PRIVATE }, config.WEBHOOK_TIMEOUT_MS),
    webhooks.outboxWebhookSource,
    {
      concurrency: config.WEBHOOK_CONCURRENCY,
      pollMs: config.WEBHOOK_POLL_MS,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      fanOutBatch: 500,
      retry: {
        baseMs: config.WEBHOOK_RETRY_BASE_MS,
        maxMs: config.WEBHOOK_RETRY_MAX_MS,
        maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
        disableAfterFailures: config.WEBHOOK_DISABLE_AFTER_FAILURES,
      },
    },
    logger.child({ component: "webhooks" }),
  );
  services.webhooks.whenDue(() => worker.poke());
  worker.start();
  return worker;
}

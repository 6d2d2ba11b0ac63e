import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Database } from "../db/client.js";
import type { StatementTally } from "../db/statement-tally.js";
import { CatalogService } from "../modules/catalog/catalog.service.js";
import { createProductLoaders } from "../modules/catalog/product.loaders.js";
import { createEnterpriseLoaders } from "../modules/enterprises/enterprise.loaders.js";
import { EnterprisesService } from "../modules/enterprises/enterprises.service.js";
import { createDivisionLoaders } from "../modules/geography/division.loaders.js";
import { GeographyService } from "../modules/geography/geography.service.js";

/** The services, built once per process. */
export function createServices(database: Database) {
  return {
    geography: new GeographyService(database),
    enterprises: new EnterprisesService(database),
    catalog: new CatalogService(database),
  };
}

export type Services = ReturnType<typeof createServices>;

function createLoaders(services: Services) {
  return {
    ...createDivisionLoaders(services.geography),
    ...createEnterpriseLoaders(services.enterprises),
    ...createProductLoaders(services.catalog),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** One request: its id, logger, fresh DataLoaders, and the tally of its SQL statements. */
export interface RequestContext {
  requestId: string;
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
  options: { requestId?: string | undefined; tally?: StatementTally } = {},
): RequestContext {
  const requestId = options.requestId && requestIdPattern.test(options.requestId) ? options.requestId : randomUUID();
  return {
    requestId,
    logger: logger.child({ requestId }),
    services,
    loaders: createLoaders(services),
    tally: options.tally ?? { count: 0 },
    outcome: { operationName: null, errorCount: 0 },
  };
}

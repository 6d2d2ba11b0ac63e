import "reflect-metadata";
import { createApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { openDatabase } from "./db/client.js";
import { isDatabaseUnavailable } from "./db/errors.js";
import { createLogger } from "./logger.js";
import { ensureConsoleBuilt, ensureGraphiqlBuilt } from "./console/build.js";
import { seedDemoAccounts } from "../seeds/accounts.js";
import { seedBudgetUnits } from "../seeds/budget-units.js";
import { isDatabaseEmpty, seedDemoData } from "../seeds/seed.js";

/** Start-up: config -> database -> migrations (-> demo seed on an empty database) -> server. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DB_POOL_SIZE, statementTimeoutMs: config.STATEMENT_TIMEOUT_MS });
  await database.migrate();
  if (config.NODE_ENV !== "production" && (await isDatabaseEmpty(database))) {
    const counts = await seedDemoData(database);
    const accounts = await seedDemoAccounts(database);
    await seedBudgetUnits(database, true);
    logger.info({ counts, demoAccounts: accounts }, "empty database: loaded the Xiangxi demo seed");
  }
  const app = await createApp(config, database, logger);
  if (config.ADMIN_USERNAME && config.ADMIN_PASSWORD) {
    await app.services.accounts.ensureAdmin(config.ADMIN_USERNAME, config.ADMIN_PASSWORD);
  }
  if (config.NODE_ENV !== "production" || config.GRAPHIQL) {
    // `npm start` on a fresh clone builds GraphiQL's bundle (a few seconds) before the first browser asks.
    const started = Date.now();
    await ensureGraphiqlBuilt();
    logger.info({ durationMs: Date.now() - started }, "GraphiQL bundle ready");
  }
  {
    // ... and the console's (/console), in every environment.
    const started = Date.now();
    await ensureConsoleBuilt();
    logger.info({ durationMs: Date.now() - started }, "console bundle ready");
  }
  const port = await app.listen(config.PORT, config.HOST);
  logger.info({ url: `http://${config.HOST}:${port}/graphql`, console: `http://${config.HOST}:${port}/console`, database: database.kind, env: config.NODE_ENV }, "listening");

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    try {
      await app.stop();
      await database.close();
      logger.info("stopped");
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    }
  };
  // A promise nobody awaited that failed because the database went away must not end the process
  // (the requests got SERVICE_UNAVAILABLE; postgres.js reconnects). Anything else still does.
  process.on("unhandledRejection", (reason) => {
    if (!isDatabaseUnavailable(reason)) throw reason;
    logger.warn({ code: (reason as { code?: unknown }).code }, "database unavailable (unawaited promise)");
  });
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error("start-up failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});

import type { Server } from "node:http";
import type { ApolloServer } from "@apollo/server";
import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { Database } from "./db/client.js";
import { createApolloServer } from "./graphql/apollo.js";
import { type RequestContext, type Services, createServices } from "./graphql/context.js";
import { buildApiSchema } from "./graphql/schema.js";
import { closeGracefully, createHttpServer, listen } from "./http/server.js";

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
  const schema = await buildApiSchema();
  const apollo = createApolloServer(schema, config);
  await apollo.start();
  const services = createServices(database, config);
  const server = createHttpServer({ apollo, database, services, logger, config });
  let stopping: Promise<void> | undefined;
  return {
    apollo,
    services,
    server,
    listen: (port, host) => listen(server, port, host),
    stop() {
      stopping ??= (async () => {
        if (server.listening) await closeGracefully(server, config.SHUTDOWN_GRACE_MS);
        await apollo.stop();
      })();
      return stopping;
    },
  };
}

import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { type Actor, type Command, anonymous } from "../actor.js";
import type { StatementTally } from "../db/statement-tally.js";
import type { NodeTypeName } from "./global-id.js";

/**
 * The services of every module, built once per process by the composition root (src/app.ts).
 * Empty here: each module adds its own members by declaration merging in its `index.ts`, so the
 * kit names no module.
 */
export interface Services {}

/** Per-request DataLoaders; each module adds its own (declaration merging, as for Services). */
export interface Loaders {}

/** Loads one object of a node type for `node`/`nodes`, through that type's policy (null when not visible). */
export type NodeSource = (context: RequestContext, key: string) => Promise<object | null>;
export type NodeSources = Partial<Record<NodeTypeName, NodeSource>>;

/** One request: who calls, its id, logger, fresh DataLoaders, and the tally of its SQL statements. */
export interface RequestContext {
  /** the server's own id of this request (random): logs, audit rows, the X-Request-Id response header */
  requestId: string;
  /** the client's X-Request-Id, sanitised (safe characters, at most 64): logged next to requestId, never audited */
  correlationId?: string;
  actor: Actor;
  /** the caller's address, for login throttling */
  clientAddress: string;
  logger: Logger;
  services: Services;
  loaders: Loaders;
  /** how `node`/`nodes` reach each type (the modules' node sources, gathered by the composition root) */
  nodeSources: NodeSources;
  tally: StatementTally;
  /** Filled in as the request runs, for its log line. An object, because Apollo shallow-copies the context. */
  outcome: {
    operationName: string | null;
    errorCount: number;
    /** the operation, once it passed validation: the read retry and /metrics use it (src/graphql/availability.ts) */
    operation?: { type: "query" | "mutation" | "subscription"; name: string | null };
    /** answered by a compiled read (src/graphql/compiled-reads.ts), not by Apollo: the request log line says so */
    compiled?: boolean;
    /** the codes of the response's top-level errors */
    errorCodes?: string[];
    /**
     * The answer read state that changes without a public-read notification (e.g. a partner's own
     * webhook deliveries): the response cache must not keep it. Set by the resolvers that read such state.
     */
    uncacheable?: boolean;
  };
}

/** What the composition root hands the kit to make a request's context. */
export interface ContextFactory {
  services: Services;
  /** fresh loaders for one request; policy-guarded loaders read `context.actor` when they run */
  createLoaders(context: RequestContext): Loaders;
  nodeSources: NodeSources;
}

/** A client's correlation id: only letters, digits and `._:-`, at most 64 of them; nothing left: none. */
export function sanitiseCorrelationId(value: string | undefined): string | undefined {
  const safe = value?.replace(/[^A-Za-z0-9._:-]/g, "").slice(0, 64);
  return safe ? safe : undefined;
}

export function createRequestContext(
  factory: ContextFactory,
  logger: Logger,
  options: { correlationId?: string | undefined; tally?: StatementTally; actor?: Actor; clientAddress?: string } = {},
): RequestContext {
  const requestId = randomUUID();
  const correlationId = sanitiseCorrelationId(options.correlationId);
  const context: RequestContext = {
    requestId,
    ...(correlationId ? { correlationId } : {}),
    actor: options.actor ?? anonymous,
    clientAddress: options.clientAddress ?? "unknown",
    logger: logger.child(correlationId ? { requestId, correlationId } : { requestId }),
    services: factory.services,
    loaders: {} as Loaders,
    nodeSources: factory.nodeSources,
    tally: options.tally ?? { count: 0 },
    outcome: { operationName: null, errorCount: 0 },
  };
  context.loaders = factory.createLoaders(context);
  return context;
}

/** The command a mutation hands its service. */
export function commandOf(context: RequestContext): Command {
  return { actor: context.actor, requestId: context.requestId };
}

import { createHash } from "node:crypto";
import { BREAK, Kind, type OperationDefinitionNode, parse, visit } from "graphql";
import type { Actor } from "../actor.js";
import { businessToday } from "../clock.js";

/** The channel on which PostgreSQL announces committed changes to public data (migration 0013). */
export const PUBLIC_READ_CHANGED = "public_read_changed";

/** One stored answer: the exact bytes Apollo wrote, with its content type and entity tag. */
export interface CachedResponse {
  body: string;
  contentType: string;
  etag: string;
}

export interface ResponseCacheOptions {
  /** most answers kept (least recently used go first); 0 turns the cache off */
  maxEntries: number;
  /** most bytes of answers and keys kept */
  maxBytes: number;
  /** an answer is dropped this long after it was made, whatever happened (safety net behind LISTEN) */
  ttlMs: number;
}

interface Entry extends CachedResponse {
  bytes: number;
  storedAt: number;
}

/** What the request asked, as far as the cache must tell requests apart. */
export interface CacheableRequest {
  method: string;
  /** the parsed JSON body of a POST */
  body: unknown;
  /** the query string of a GET */
  search: string;
  /** the Accept header: Apollo picks the answer's content type by it */
  accept: string | undefined;
}

/**
 * The shared answer cache of public reads (anonymous callers and partner keys), per process.
 *
 * - Only queries, only answers without errors, only callers whose answers do not depend on who they
 *   are: a bearer token's caller (personal, role-dependent data) never reads or fills it.
 * - Keyed by the caller class (anonymous, or the partner key), the business day (expiry and default
 *   `asOf` move at midnight, China time), the Accept header (it decides the content type), the request's document, operation name and variables.
 * - Emptied whenever PostgreSQL announces a committed change to a table public reads come from
 *   (LISTEN `public_read_changed`, sent by statement triggers in the changing transaction, migration
 *   0013), so every replica answers the new value as soon as the commit's notification arrives; also
 *   when the listening connection (re)connects, since notifications sent while it was down are lost.
 * - An answer computed while a change arrived is not stored (the generation moved on), so a slow
 *   read that began before a commit cannot put the old value back.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private currentGeneration = 0;
  /** Operation types of the documents seen, so a miss parses a document once. */
  private readonly operationTypes = new Map<string, Map<string | null, string>>();

  constructor(private readonly options: ResponseCacheOptions) {}

  get enabled(): boolean {
    return this.options.maxEntries > 0;
  }

  /** Changes when the cache is emptied; an answer is stored only under the generation it began in. */
  get generation(): number {
    return this.currentGeneration;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Forgets every answer (a committed change to public data, or a reconnected listener). */
  invalidate(): void {
    this.currentGeneration += 1;
    this.entries.clear();
    this.bytes = 0;
  }

  /** The cache key of a public read, or undefined when this request must not use the cache. */
  keyFor(actor: Actor, request: CacheableRequest): string | undefined {
    if (!this.enabled) return undefined;
    const caller = callerClass(actor);
    if (!caller) return undefined;
    let document: unknown;
    let operationName: unknown;
    let variables: unknown;
    if (request.method === "POST") {
      if (typeof request.body !== "object" || request.body === null || Array.isArray(request.body)) return undefined;
      ({ query: document, operationName, variables } = request.body as Record<string, unknown>);
    } else if (request.method === "GET") {
      const params = new URLSearchParams(request.search);
      document = params.get("query") ?? undefined;
      operationName = params.get("operationName") ?? undefined;
      const text = params.get("variables");
      if (text) {
        try {
          variables = JSON.parse(text);
        } catch {
          return undefined;
        }
      }
    } else {
      return undefined;
    }
    if (typeof document !== "string" || document.length === 0) return undefined;
    if (operationName != null && typeof operationName !== "string") return undefined;
    if (variables != null && (typeof variables !== "object" || Array.isArray(variables))) return undefined;
    if (this.operationType(document, (operationName as string | undefined) ?? null) !== "query") return undefined;
    return JSON.stringify([caller, businessToday(), request.accept ?? "", document, operationName ?? null, variables ?? null]);
  }

  /** A stored answer still fresh, or undefined. */
  get(key: string, now = Date.now()): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.storedAt > this.options.ttlMs) {
      this.remove(key, entry);
      return undefined;
    }
    // Most recently used last: Map keeps insertion order, so eviction takes the first keys.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Stores an answer made under `generation`; returns its entity tag (also when not stored). */
  store(key: string, generation: number, body: string, contentType: string, now = Date.now()): string {
    const etag = entityTag(body);
    if (generation !== this.currentGeneration) return etag;
    const bytes = 2 * (key.length + body.length);
    if (bytes > this.options.maxBytes) return etag;
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous);
    this.entries.set(key, { body, contentType, etag, bytes, storedAt: now });
    this.bytes += bytes;
    for (const [oldKey, oldEntry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && this.bytes <= this.options.maxBytes) break;
      this.remove(oldKey, oldEntry);
    }
    return etag;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  /** "query", "mutation", "subscription", or undefined for a document that does not parse or name one operation. */
  private operationType(document: string, operationName: string | null): string | undefined {
    let byName = this.operationTypes.get(document);
    if (!byName) {
      byName = new Map();
      try {
        const parsed = parse(document, { noLocation: true });
        const operations = parsed.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
        const live = readsLiveFields(parsed);
        for (const operation of operations) byName.set(operation.name?.value ?? null, live ? "live query" : operation.operation);
        // Without an operation name, a document of exactly one operation runs that one.
        if (operations.length === 1) byName.set(null, live ? "live query" : operations[0]!.operation);
        else byName.delete(null);
      } catch {
        // Not cached: Apollo answers the syntax error itself.
      }
      if (this.operationTypes.size >= 1000) this.operationTypes.clear();
      this.operationTypes.set(document, byName);
    }
    return byName.get(operationName);
  }
}

/**
 * Fields whose answers a commit can change without a table notification: `catalogChanges` hands out
 * an event only once every earlier transaction has ended (the outbox's cursor rule), and the end of
 * a transaction that touched no public table announces nothing. Documents that select one are never cached.
 */
const LIVE_FIELDS = new Set(["catalogChanges"]);

function readsLiveFields(document: ReturnType<typeof parse>): boolean {
  let live = false;
  visit(document, {
    Field(node) {
      if (LIVE_FIELDS.has(node.name.value)) {
        live = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return live;
}

/** Callers whose answers are the same for everyone of their class; undefined for personal callers. */
function callerClass(actor: Actor): string | undefined {
  if (actor.kind === "anonymous") return "anonymous";
  // Per key, not per scope set: `viewer { partnerName }` differs between keys.
  if (actor.kind === "apiKey") return `key:${actor.apiKeyId}`;
  return undefined;
}

/** A strong entity tag of an answer's bytes. */
export function entityTag(body: string): string {
  return `"${createHash("sha1").update(body).digest("base64url")}"`;
}

/** Whether an If-None-Match header names this entity tag (or is `*`). */
export function matchesEntityTag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}

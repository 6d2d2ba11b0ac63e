import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { UnauthenticatedError, UserErrorCode, UserFacingError } from "../../errors.js";
import type { Actor, ApiKeyActor, Command } from "../../actor.js";
import type { AuditService } from "../audit/index.js";
import { type ApiKeyRow, apiKeys } from "./api-key.schema.js";

export const API_KEY_SCOPES = ["CATALOG_READ", "SALES_REPORT"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Whether the actor is a partner key holding `scope` (for services that partners may call). */
export function keyHasScope(actor: Actor, scope: ApiKeyScope): actor is ApiKeyActor {
  return actor.kind === "apiKey" && actor.scopes.includes(scope);
}

export interface NewApiKey {
  name: string;
  partnerName: string;
  scopes: ApiKeyScope[];
  /** default: the configured budget */
  requestsPerMinute?: number | null;
}

const KEY_PREFIX = "fpk_";

function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

function snapshot(row: ApiKeyRow) {
  const { secretHash: _secret, ...rest } = row;
  return rest;
}

/** Partner API keys: the secret is shown once at creation; only its hash is stored. */
export class ApiKeysService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly defaultRequestsPerMinute: number,
  ) {}

  async createApiKey(
    command: Command,
    input: NewApiKey,
  ): Promise<{ apiKey: ApiKeyRow; secret: string }> {
    const secret = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
    return this.database.transaction(async (tx) => {
      const [apiKey] = await tx
        .insert(apiKeys)
        .values({
          name: input.name,
          partnerName: input.partnerName,
          scopes: [...new Set(input.scopes)],
          secretHash: hashSecret(secret),
          prefix: secret.slice(0, 12),
          requestsPerMinute: input.requestsPerMinute ?? this.defaultRequestsPerMinute,
          createdBy: command.actor.kind === "user" ? command.actor.userId : null,
        })
        .returning();
      await this.audit.record(tx, command, { operation: "createApiKey", entityType: "ApiKey", entityId: apiKey!.id, after: snapshot(apiKey!) });
      return { apiKey: apiKey!, secret };
    });
  }

  async revokeApiKey(command: Command, apiKeyId: string): Promise<ApiKeyRow> {
    return this.database.transaction(async (tx) => {
      const [before] = await tx.select().from(apiKeys).where(eq(apiKeys.id, apiKeyId)).for("update");
      if (!before) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such API key", ["input", "apiKeyId"]);
      if (before.revokedAt) throw new UserFacingError(UserErrorCode.INVALID_TRANSITION, "The key is already revoked", ["input", "apiKeyId"]);
      const [after] = await tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, apiKeyId)).returning();
      await this.audit.record(tx, command, {
        operation: "revokeApiKey",
        entityType: "ApiKey",
        entityId: apiKeyId,
        before: snapshot(before),
        after: snapshot(after!),
      });
      return after!;
    });
  }

  /** The actor of an `X-Api-Key` header, with its rate budget; unknown or revoked keys are UNAUTHENTICATED. */
  async actorForKey(secret: string): Promise<{ actor: ApiKeyActor; requestsPerMinute: number }> {
    if (!secret.startsWith(KEY_PREFIX) || secret.length > 100) throw new UnauthenticatedError("The API key is not valid");
    const [row] = await this.database.db.select().from(apiKeys).where(eq(apiKeys.secretHash, hashSecret(secret)));
    if (!row) throw new UnauthenticatedError("The API key is not valid");
    if (row.revokedAt) throw new UnauthenticatedError("The API key has been revoked");
    return {
      actor: { kind: "apiKey", apiKeyId: row.id, partnerName: row.partnerName, scopes: row.scopes },
      requestsPerMinute: row.requestsPerMinute,
    };
  }

  async list(includeRevoked: boolean): Promise<ApiKeyRow[]> {
    return this.database.db
      .select()
      .from(apiKeys)
      .where(includeRevoked ? sql`true` : and(isNull(apiKeys.revokedAt)))
      .orderBy(desc(apiKeys.createdAt));
  }
}

import { eq, sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import type { Database, Drizzle } from "../../db/client.js";
import { PgCode, pgConstraint, pgErrorCode } from "../../db/errors.js";
import { UnauthenticatedError, UserErrorCode, UserFacingError } from "../../errors.js";
import type { AuditService } from "../audit/index.js";
import type { GeographyService } from "../geography/index.js";
import { type Actor, type Command, type Role, type UserActor } from "../../actor.js";
import { type UserRow, users } from "./account.schema.js";
import type { LoginThrottle } from "./login-throttle.js";
import { decoyPasswordHash, hashPassword, verifyPassword } from "./password.js";
import type { TokenIssuer } from "./token.js";

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  divisionCode?: string | null;
  enterpriseId?: string | null;
  budgetUnitId?: string | null;
}

/** The input field behind each foreign key of `users` (drizzle's constraint names). */
const referenceFields: Record<string, string> = {
  users_division_code_divisions_code_fk: "divisionCode",
  users_enterprise_id_enterprises_id_fk: "enterpriseId",
  users_budget_unit_id_budget_units_id_fk: "budgetUnitId",
};

/** The audited view of a user: never the password hash. */
function userSnapshot(row: UserRow) {
  const { passwordHash: _secret, ...rest } = row;
  return rest;
}

export function actorOf(row: UserRow): UserActor {
  return {
    kind: "user",
    userId: row.id,
    username: row.username,
    role: row.role,
    divisionCode: row.divisionCode,
    enterpriseId: row.enterpriseId,
    budgetUnitId: row.budgetUnitId,
  };
}

/** 账户: users, login and bearer tokens. */
export class AccountsService {
  constructor(
    private readonly database: Database,
    private readonly tokens: TokenIssuer,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly geography: GeographyService,
  ) {}

  async usersByIds(ids: readonly string[]): Promise<UserRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(users).where(anyOf(users.id, ids, "uuid"));
  }

  /**
   * Logs in. A wrong username and a wrong password get the same answer. The attempt is counted
   * before the password is checked (per username and client address, and per address): past the
   * limit it is refused unchecked, with when to retry.
   */
  async login(username: string, password: string, clientAddress: string, requestId: string) {
    const attempt = await this.throttle.attempt(username, clientAddress);
    if (!attempt.allowed) {
      const seconds = Math.max(1, Math.ceil((attempt.retryAt.getTime() - Date.now()) / 1000));
      throw new UserFacingError(
        UserErrorCode.TOO_MANY_ATTEMPTS,
        `登录失败次数过多 Too many failed attempts: retry after ${attempt.retryAt.toISOString()} (${seconds} s)`,
      );
    }
    const [user] = await this.database.db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);
    const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash));
    if (!user || !valid || user.disabled) {
      throw new UserFacingError(UserErrorCode.INVALID_CREDENTIALS, "用户名或密码错误 Wrong username or password");
    }
    await this.throttle.succeeded(username, clientAddress);
    const { token, expiresAt } = await this.tokens.issue(user.id);
    await this.database.transaction(async (tx) => {
      await this.audit.record(tx, { actor: actorOf(user), requestId }, {
        operation: "login",
        entityType: "User",
        entityId: user.id,
      });
    });
    return { token, expiresAt, user };
  }

  /** The actor behind a bearer token; a disabled or deleted user is UNAUTHENTICATED. */
  async actorForToken(token: string): Promise<UserActor> {
    const userId = await this.tokens.verify(token);
    const [user] = await this.database.db.select().from(users).where(eq(users.id, userId));
    if (!user) throw new UnauthenticatedError("The token's user no longer exists");
    if (user.disabled) throw new UnauthenticatedError("This account is disabled");
    return actorOf(user);
  }

  /** Creates a user in the caller's transaction (registerEnterprise creates its first user this way). */
  async insertUser(tx: Drizzle, input: NewUser): Promise<UserRow> {
    try {
      const [row] = await tx
        .insert(users)
        .values({
          username: input.username,
          passwordHash: await hashPassword(input.password),
          role: input.role,
          divisionCode: input.divisionCode ?? null,
          enterpriseId: input.enterpriseId ?? null,
          budgetUnitId: input.budgetUnitId ?? null,
        })
        .returning();
      return row!;
    } catch (error) {
      if (pgErrorCode(error) === PgCode.uniqueViolation) {
        // Neither the username nor the row it clashed with: the message names no account.
        throw new UserFacingError(UserErrorCode.DUPLICATE, "用户名不可用 This username is not available; choose another", ["input", "username"]);
      }
      // The last line: the edge checks references first, but a caller of the service may not have.
      const field = pgErrorCode(error) === PgCode.foreignKeyViolation ? referenceFields[pgConstraint(error) ?? ""] : undefined;
      if (field) throw new UserFacingError(UserErrorCode.NOT_FOUND, `${field}: no such row`, ["input", field]);
      throw error;
    }
  }

  async createUser(command: Command, input: NewUser): Promise<UserRow> {
    if (input.divisionCode) await this.assertJurisdiction(input.divisionCode);
    return this.database.transaction(async (tx) => {
      const row = await this.insertUser(tx, input);
      await this.audit.record(tx, command, { operation: "createUser", entityType: "User", entityId: row.id, after: userSnapshot(row) });
      return row;
    });
  }

  /** A reviewer's division is a county of the prefecture or the prefecture itself. */
  private async assertJurisdiction(code: string): Promise<void> {
    const [division] = await this.geography.divisionsByCodes([code]);
    if (division?.level !== "COUNTY" && division?.level !== "PREFECTURE") {
      throw new UserFacingError(UserErrorCode.INVALID, `divisionCode: ${code} is not a county of 湘西州 nor the prefecture (433100)`, ["input", "divisionCode"]);
    }
  }

  async disableUser(command: Command, userId: string): Promise<UserRow> {
    return this.database.transaction(async (tx) => {
      const [before] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
      if (!before) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such user", ["input", "userId"]);
      if (command.actor.kind === "user" && command.actor.userId === userId) {
        throw new UserFacingError(UserErrorCode.INVALID, "You cannot disable your own account", ["input", "userId"]);
      }
      const [after] = await tx
        .update(users)
        .set({ disabled: true, updatedAt: new Date(), version: sql`${users.version} + 1` })
        .where(eq(users.id, userId))
        .returning();
      await this.audit.record(tx, command, {
        operation: "disableUser",
        entityType: "User",
        entityId: userId,
        before: userSnapshot(before),
        after: userSnapshot(after!),
      });
      return after!;
    });
  }

  /**
   * Creates the configured first admin (ADMIN_USERNAME / ADMIN_PASSWORD) unless the username exists.
   * Replicas starting together may all try: the insert is one statement that ignores a duplicate.
   */
  async ensureAdmin(username: string, password: string): Promise<void> {
    await this.database.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({ username, passwordHash: await hashPassword(password), role: "ADMIN" })
        .onConflictDoNothing()
        .returning();
      if (row) await this.audit.record(tx, { actor: actorOf(row), requestId: "startup" }, { operation: "createUser", entityType: "User", entityId: row.id, after: userSnapshot(row) });
    });
  }
}

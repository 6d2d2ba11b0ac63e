import { and, eq, sql } from "drizzle-orm";
import type { Database, Drizzle } from "../../db/client.js";
import { PgCode, pgConstraint, pgErrorCode } from "../../db/errors.js";
import { ForbiddenError, UserErrorCode, UserFacingError } from "../../errors.js";
import type { AccountsService } from "../accounts/index.js";
import { actorOf } from "../accounts/index.js";
import { type Command, actorIds, mayReviewIn } from "../../actor.js";
import type { AuditService } from "../audit/index.js";
import type { GeographyService } from "../geography/index.js";
import { enterpriseRegisteredNotice, notify } from "../notifications/index.js";
import { enterpriseStatusHistory } from "./enterprise-status.schema.js";
import { type EnterpriseRow, enterprises } from "./enterprise.schema.js";
import { validateUscc } from "./uscc.js";

export interface EnterpriseRegistration {
  name: string;
  uscc: string;
  kind: EnterpriseRow["kind"];
  countyCode: string;
  username: string;
  password: string;
}

/** Enterprises register themselves; the county (or prefecture) office verifies or suspends them. */
export class EnterpriseRegistrationService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly accounts: AccountsService,
    private readonly geography: GeographyService,
    /**
     * Called in the status change's transaction, after the write: the catalog announces its
     * enterprise's listed products leaving (暂停) or coming back (恢复). The composition root passes
     * the catalog's piece, because enterprises must not import the catalog.
     */
    private readonly onStatusChanged: (tx: Drizzle, enterpriseId: string, wasVerified: boolean) => Promise<void> = async () => {},
  ) {}

  /** Creates the enterprise (PENDING) and its first user, together or not at all. */
  async register(command: Command, input: EnterpriseRegistration) {
    const uscc = validateUscc(input.uscc);
    if (!uscc.ok) throw new UserFacingError(UserErrorCode.INVALID, uscc.reason, ["input", "uscc"]);
    const [county] = await this.geography.divisionsByCodes([input.countyCode]);
    if (county?.level !== "COUNTY") {
      throw new UserFacingError(UserErrorCode.INVALID, `${input.countyCode} is not a county of 湘西州`, ["input", "countyCode"]);
    }
    return this.database.transaction(async (tx) => {
      let enterprise: EnterpriseRow;
      try {
        [enterprise] = (await tx
          .insert(enterprises)
          .values({ name: input.name, uscc: input.uscc, kind: input.kind, countyCode: input.countyCode, status: "PENDING" })
          .returning()) as [EnterpriseRow];
      } catch (error) {
        if (pgErrorCode(error) === PgCode.uniqueViolation && pgConstraint(error)?.includes("uscc")) {
          throw new UserFacingError(UserErrorCode.DUPLICATE, "该统一社会信用代码已注册 An enterprise with this USCC is already registered", ["input", "uscc"]);
        }
        throw error;
      }
      const user = await this.accounts.insertUser(tx, {
        username: input.username,
        password: input.password,
        role: "ENTERPRISE",
        enterpriseId: enterprise.id,
      });
      const asNewUser: Command = { actor: actorOf(user), requestId: command.requestId };
      await this.audit.record(tx, asNewUser, { operation: "registerEnterprise", entityType: "Enterprise", entityId: enterprise.id, after: enterprise });
      await notify(tx, enterpriseRegisteredNotice(enterprise));
      return { enterprise, user };
    });
  }

  /** 核实: PENDING → VERIFIED; the office confirms the declared kind (`kind` omitted) or corrects it. */
  async verify(command: Command, enterpriseId: string, kind?: EnterpriseRow["kind"]): Promise<EnterpriseRow> {
    return this.changeStatus(command, enterpriseId, { operation: "verifyEnterprise", from: "PENDING", to: "VERIFIED", kind });
  }

  /** 暂停: VERIFIED → SUSPENDED, with a reason. */
  async suspend(command: Command, enterpriseId: string, reason: string): Promise<EnterpriseRow> {
    return this.changeStatus(command, enterpriseId, { operation: "suspendEnterprise", from: "VERIFIED", to: "SUSPENDED", reason });
  }

  /** 恢复: SUSPENDED → VERIFIED, with the kind confirmed before. */
  async reinstate(command: Command, enterpriseId: string): Promise<EnterpriseRow> {
    return this.changeStatus(command, enterpriseId, { operation: "reinstateEnterprise", from: "SUSPENDED", to: "VERIFIED" });
  }

  /**
   * One status change: the row locked, who may do it checked, then a conditional update (only from
   * `from`: of two concurrent changes the second finds the new status and is refused), the status
   * history row and the audit entry, all in one transaction.
   */
  private async changeStatus(command: Command, enterpriseId: string, change: StatusChange): Promise<EnterpriseRow> {
    const { operation, from, to, reason = null } = change;
    return this.database.transaction(async (tx) => {
      const [before] = await tx.select().from(enterprises).where(eq(enterprises.id, enterpriseId)).for("update");
      if (!before) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such enterprise", ["input", "enterpriseId"]);
      if (!mayReviewIn(command.actor, before.countyCode)) {
        throw new ForbiddenError("Only the poverty office of the enterprise's county or the prefecture may do this");
      }
      const kind = change.kind ?? before.kind;
      const [after] = await tx
        .update(enterprises)
        .set({ status: to, kind, updatedAt: new Date(), version: sql`${enterprises.version} + 1` })
        .where(and(eq(enterprises.id, enterpriseId), eq(enterprises.status, from)))
        .returning();
      if (!after) {
        throw new UserFacingError(UserErrorCode.INVALID_TRANSITION, `A ${before.status} enterprise cannot become ${to} (only a ${from} one can)`, ["input", "enterpriseId"]);
      }
      await tx.insert(enterpriseStatusHistory).values({
        enterpriseId,
        status: to,
        kind,
        reason,
        actorUserId: actorIds(command.actor).actorUserId,
        // the moment of the change, after the lock (not the transaction's start): history in order
        at: sql`clock_timestamp()`,
      });
      await this.onStatusChanged(tx, enterpriseId, before.status === "VERIFIED");
      await this.audit.record(tx, command, {
        operation,
        entityType: "Enterprise",
        entityId: enterpriseId,
        before,
        after: reason ? { ...after, reason } : after,
      });
      return after;
    });
  }
}

interface StatusChange {
  operation: "verifyEnterprise" | "suspendEnterprise" | "reinstateEnterprise";
  from: EnterpriseRow["status"];
  to: EnterpriseRow["status"];
  /** verify: the kind the office confirms (default: the declared one) */
  kind?: EnterpriseRow["kind"] | undefined;
  reason?: string;
}

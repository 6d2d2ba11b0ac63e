import { type KeyObject, createSecretKey, randomBytes } from "node:crypto";
import { SignJWT, jwtVerify } from "jose";
import { UnauthenticatedError } from "../../errors.js";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Signed, expiring bearer tokens (JWT, HS256). */
export class TokenIssuer {
  /** A KeyObject, not bytes: jose would otherwise import the raw key again for every token. */
  private readonly key: KeyObject;

  constructor(
    secret: string | undefined,
    private readonly ttlSeconds: number,
  ) {
    // Without a configured secret (development, tests) tokens live as long as the process.
    this.key = createSecretKey(new TextEncoder().encode(secret ?? randomBytes(32).toString("hex")));
  }

  async issue(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + this.ttlSeconds * 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  /**
   * The user ID of a valid token; a tampered, expired or malformed one is UNAUTHENTICATED, and so is
   * one without `exp` (it would never expire) or whose `sub` is not a user ID (a UUID).
   */
  async verify(token: string): Promise<string> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ["HS256"], requiredClaims: ["exp", "sub"] });
      if (typeof payload.sub !== "string" || !uuidPattern.test(payload.sub)) throw new Error("no valid subject");
      return payload.sub;
    } catch (error) {
      const expired = (error as { code?: string }).code === "ERR_JWT_EXPIRED";
      throw new UnauthenticatedError(expired ? "The token has expired: log in again" : "The token is not valid");
    }
  }
}

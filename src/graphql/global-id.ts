import { InvalidArgumentError } from "../errors.js";

/** Types that have global IDs, and the shape of their local keys. */
const localKeyPatterns = {
  Division: /^[0-9]{6}([0-9]{3}){0,2}$/,
  Enterprise: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  Product: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  User: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  ApiKey: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  BudgetUnit: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  Quota: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  Order: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  Household: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  Pairing: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  BenefitLink: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  Notification: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  /** not a Node: named by the audit log only */
  CollectiveIncome: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  SalesReport: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  WebhookSubscription: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  WebhookDelivery: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  /** a data-quality rule and the record it fires on: `<RULE>:<uuid>` */
  DataQualityIssue: /^[A-Z][A-Z_]{2,47}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  /** a catalog change: its outbox sequence number */
  CatalogChange: /^[1-9][0-9]{0,18}$/,
} as const;

export type NodeTypeName = keyof typeof localKeyPatterns;

export interface DecodedGlobalId {
  type: NodeTypeName;
  key: string;
}

/** Opaque global ID: base64url of `<Type>:<key>`. */
export function toGlobalId(type: NodeTypeName, key: string): string {
  return Buffer.from(`${type}:${key}`, "utf8").toString("base64url");
}

/** Decodes any global ID; a malformed one or one of an unknown type is an InvalidArgumentError. */
export function fromGlobalId(id: string, argument = "id"): DecodedGlobalId {
  const malformed = () => new InvalidArgumentError(`"${truncate(id)}" is not a valid ID`, argument);
  if (typeof id !== "string" || id.length === 0 || id.length > 200 || !/^[A-Za-z0-9_-]+$/.test(id)) throw malformed();
  const text = Buffer.from(id, "base64url").toString("utf8");
  const colon = text.indexOf(":");
  if (colon <= 0) throw malformed();
  const type = text.slice(0, colon);
  const key = text.slice(colon + 1);
  if (!Object.hasOwn(localKeyPatterns, type)) throw malformed();
  if (!localKeyPatterns[type as NodeTypeName].test(key)) throw malformed();
  return { type: type as NodeTypeName, key };
}

/** Decodes an ID that must be of one type (e.g. `product(id:)`); another type's ID is refused. */
export function fromGlobalIdOf(expected: NodeTypeName, id: string, argument = "id"): string {
  const decoded = fromGlobalId(id, argument);
  if (decoded.type !== expected) {
    throw new InvalidArgumentError(`ID "${truncate(id)}" is a ${decoded.type} ID, not a ${expected} ID`, argument);
  }
  return decoded.key;
}

function truncate(text: string): string {
  return typeof text === "string" && text.length > 60 ? `${text.slice(0, 60)}…` : String(text);
}

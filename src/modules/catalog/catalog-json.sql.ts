import { type SQL, sql } from "drizzle-orm";
import type { FieldNode, SelectionSetNode } from "graphql";
import { businessToday } from "../../clock.js";
import { isBareLeaf, plainFields } from "../../graphql/compiled-reads.js";
import { type PageRelation, relationAlias } from "./catalog-page.sql.js";

/**
 * A catalog node's JSON, written by PostgreSQL for a compiled read (src/graphql/compiled-reads.ts):
 * for a selection of Product fields, one text expression over the page statement's tables (aliases
 * of catalog-page.sql.ts) giving exactly the JSON graphql-js would write for that node —
 * `JSON.stringify` compact form, keys in selection order, values as the scalars serialise them
 * (global IDs base64url, Decimal "88.00", Date "YYYY-MM-DD", DateTime in UTC with milliseconds).
 * Only the fields below are covered; any other makes the selection not compilable.
 */

/** One leaf's JSON text as SQL text, from the alias of its table; a contributed leaf as drizzle SQL. */
type Leaf = (alias: string) => string | SQL;

/** The fields of one GraphQL object type a compiled read can write. */
interface JsonObjectType {
  typeName: string;
  leaves: Record<string, Leaf>;
  /** to-one relations read along in the page statement; `nullable`: null when the join found none */
  relations: Record<string, { relation: PageRelation; type: () => JsonObjectType; nullable: boolean }>;
}

/**
 * A field that other modules contribute to Product (e.g. 带贫人数), as an expression of the product's
 * id. It may read the business day (it is rebuilt when the day turns), nothing else of the request.
 */
export type ProductFieldSql = (productId: SQL) => SQL;

const column = (alias: string, name: string) => `"${alias}"."${name}"`;
/** text, varchar and enum columns; `coalesce` for nullable ones */
const text = (name: string, nullable = false): Leaf => (alias) =>
  nullable ? `coalesce(to_json(${column(alias, name)}::text)::text, 'null')` : `to_json(${column(alias, name)}::text)::text`;
const int = (name: string, nullable = false): Leaf => (alias) => (nullable ? `coalesce(${column(alias, name)}::text, 'null')` : `${column(alias, name)}::text`);
const bool = (name: string): Leaf => (alias) => `${column(alias, name)}::text`;
/** numeric(…, 2) as Decimal: its text has the two decimals DecimalScalar writes */
const decimal = text;
const day = (name: string): Leaf => (alias) => `coalesce(to_json(to_char(${column(alias, name)}, 'YYYY-MM-DD'))::text, 'null')`;
const instant = (name: string): Leaf => (alias) => `to_json(to_char(${column(alias, name)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text`;
/** `toGlobalId(type, key)`: base64url of "<type>:<key>" (no padding; PostgreSQL's base64 wraps at 76, removed) */
const globalId = (type: string, keyColumn: string): Leaf => (alias) =>
  `'"' || translate(encode(convert_to('${type}:' || ${column(alias, keyColumn)}, 'UTF8'), 'base64'), E'+/=\\n', '-_') || '"'`;
const textArray = (name: string): Leaf => (alias) => `array_to_json(${column(alias, name)})::text`;

const division: JsonObjectType = {
  typeName: "Division",
  leaves: {
    id: globalId("Division", "code"),
    code: text("code"),
    name: text("name"),
    level: text("level"),
    isPoorVillage: bool("is_poor_village"),
    exitYear: int("exit_year", true),
  },
  relations: {},
};

const enterprise: JsonObjectType = {
  typeName: "Enterprise",
  leaves: {
    id: globalId("Enterprise", "id"),
    name: text("name"),
    uscc: text("uscc"),
    kind: text("kind"),
    status: text("status"),
    createdAt: instant("created_at"),
    updatedAt: instant("updated_at"),
    version: int("version"),
  },
  relations: { county: { relation: "enterpriseCounty", type: () => division, nullable: false } },
};

function productType(extra: Readonly<Record<string, ProductFieldSql>>): JsonObjectType {
  const contributed = Object.fromEntries(Object.entries(extra).map(([name, of]) => [name, (alias: string) => of(sql.raw(column(alias, "id")))]));
  return {
    typeName: "Product",
    leaves: {
      id: globalId("Product", "id"),
      name: text("name"),
      brand: text("brand", true),
      category: text("category"),
      spec: text("spec"),
      unit: text("unit"),
      unitPrice: decimal("unit_price"),
      certifiedUnitPrice: decimal("certified_unit_price", true),
      status: text("status"),
      catalogNo: text("catalog_no", true),
      batch: text("batch", true),
      validFrom: day("valid_from"),
      validUntil: day("valid_until"),
      annualSupplyCapacity: int("annual_supply_capacity"),
      availableSupply: int("available_supply"),
      description: text("description", true),
      imageUrls: textArray("image_urls"),
      createdAt: instant("created_at"),
      updatedAt: instant("updated_at"),
      version: int("version"),
      ...contributed,
    },
    relations: {
      enterprise: { relation: "enterprise", type: () => enterprise, nullable: false },
      originCounty: { relation: "originCounty", type: () => division, nullable: false },
      originVillage: { relation: "originVillage", type: () => division, nullable: true },
    },
  };
}

/** A node selection compiled: its JSON text expression (for the business day), and the joins it needs. */
export interface CompiledNode {
  json(): SQL;
  relations: ReadonlySet<PageRelation>;
}

const MAX_FIELDS = 60;

/** SQL text, or drizzle SQL where a contributed field has parameters. */
type Piece = string | SQL;

/**
 * The JSON of a Product selection, or undefined when it selects anything not covered (fragments,
 * directives, arguments, fields of other modules not contributed). Compiled once per query text
 * into a few chunks of SQL (adjacent text merged); rebuilt only when the business day turns, since
 * contributed fields (带贫人数) read it.
 */
export function compileProductNode(selection: SelectionSetNode | undefined, extra: Readonly<Record<string, ProductFieldSql>>): CompiledNode | undefined {
  const relations = new Set<PageRelation>();
  const type = productType(extra);
  if (!objectJson(type, "products", selection, relations)) return undefined;
  if (relations.has("enterpriseCounty")) relations.add("enterprise");
  let built: { day: string; json: SQL } | undefined;
  return {
    relations,
    json() {
      const today = businessToday();
      if (built?.day !== today) {
        const pieces = objectJson(productType(extra), "products", selection, new Set())!;
        built = { day: today, json: sql.join(merged(["(", ...pieces, ")"]).map((piece) => (typeof piece === "string" ? sql.raw(piece) : piece))) };
      }
      return built.json;
    },
  };
}

/** Adjacent SQL texts joined into one. */
function merged(pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    const last = out[out.length - 1];
    if (typeof piece === "string" && typeof last === "string") out[out.length - 1] = last + piece;
    else out.push(piece);
  }
  return out;
}

function objectJson(type: JsonObjectType, alias: string, selection: SelectionSetNode | undefined, relations: Set<PageRelation>): Piece[] | undefined {
  const fields = plainFields(selection);
  if (!fields || fields.size === 0 || fields.size > MAX_FIELDS) return undefined;
  const pieces: Piece[] = [];
  let first = true;
  for (const [key, field] of fields) {
    const value = fieldJson(type, alias, field, relations);
    if (!value) return undefined;
    // Response keys are GraphQL names ([_A-Za-z][_0-9A-Za-z]*): safe in a SQL literal and in JSON.
    pieces.push(`'${first ? "{" : ","}"${key}":' || `, ...value, " || ");
    first = false;
  }
  pieces.push("'}'");
  return pieces;
}

function fieldJson(type: JsonObjectType, alias: string, field: FieldNode, relations: Set<PageRelation>): Piece[] | undefined {
  const name = field.name.value;
  if (name === "__typename") return isBareLeaf(field) ? [`'"${type.typeName}"'`] : undefined;
  if (Object.hasOwn(type.leaves, name)) return isBareLeaf(field) ? ["(", type.leaves[name]!(alias), ")"] : undefined;
  if (!Object.hasOwn(type.relations, name) || (field.arguments?.length ?? 0) > 0) return undefined;
  const { relation, type: relatedType, nullable } = type.relations[name]!;
  const relatedAlias = relationAlias(relation);
  const inner = objectJson(relatedType(), relatedAlias, field.selectionSet, relations);
  if (!inner) return undefined;
  relations.add(relation);
  const key = `"${relatedAlias}"."${relatedType() === enterprise ? "id" : "code"}"`;
  return nullable ? [`(case when ${key} is null then 'null' else (`, ...inner, ") end)"] : ["(", ...inner, ")"];
}

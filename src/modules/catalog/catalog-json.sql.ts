import { type SQL, sql } from "drizzle-orm";
import type { FieldNode, SelectionSetNode } from "graphql";
import { preRenderedPerDay } from "../../db/pre-rendered.js";
import { isBareLeaf, plainFields } from "../../graphql/compiled-reads.js";
import { type NodeTypeName, toGlobalId } from "../../graphql/global-id.js";
import { type PageRelation, relationAlias } from "./catalog-page.sql.js";

/**
 * A catalog node's JSON for a compiled read (src/graphql/compiled-reads.ts): for a selection of
 * Product fields, the columns to read in the page statement (aliases of catalog-page.sql.ts) and a
 * writer that turns a row into exactly the JSON graphql-js would write for that node —
 * `JSON.stringify`'s compact form, keys in selection order, values as the scalars serialise them
 * (global IDs base64url, Decimal "88.00", Date "YYYY-MM-DD", DateTime in UTC with milliseconds: the
 * last three read as text in that form). PostgreSQL only reads; Node writes, as a hand-written
 * endpoint would. Only the fields below are covered; any other makes the selection not compilable.
 */

/** One leaf: the SQL of its column (from the alias of its table), and how its value is written. */
interface Leaf {
  column: (alias: string) => string | SQL;
  write: (value: unknown) => string;
}

/** The fields of one GraphQL object type a compiled read can write. */
interface JsonObjectType {
  typeName: string;
  /** the column that is null when a left join found no row */
  key: string;
  leaves: Record<string, Leaf>;
  /** to-one relations read along in the page statement; `nullable`: null when the join found none */
  relations: Record<string, { relation: PageRelation; type: () => JsonObjectType; nullable: boolean }>;
}

/**
 * A field that other modules contribute to Product (e.g. 带贫人数), as an integer expression of the
 * product's id. It may read the business day (it is rebuilt when the day turns), nothing else of the request.
 */
export type ProductFieldSql = (productId: SQL) => SQL;

const column = (alias: string, name: string) => `"${alias}"."${name}"`;
const writeText = (value: unknown) => (value == null ? "null" : JSON.stringify(value));
const writeNumber = (value: unknown) => (value == null ? "null" : String(value));
/** text, varchar and enum columns (enums as text: PGlite and postgres.js agree on that) */
const text = (name: string): Leaf => ({ column: (alias) => `${column(alias, name)}::text`, write: writeText });
const int = (name: string): Leaf => ({ column: (alias) => column(alias, name), write: writeNumber });
const bool = (name: string): Leaf => ({ column: (alias) => column(alias, name), write: (value) => (value == null ? "null" : value ? "true" : "false") });
/** numeric(…, 2) as Decimal: its text has the two decimals DecimalScalar writes */
const decimal = text;
const day = (name: string): Leaf => ({ column: (alias) => `to_char(${column(alias, name)}, 'YYYY-MM-DD')`, write: writeText });
const instant = (name: string): Leaf => ({ column: (alias) => `to_char(${column(alias, name)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`, write: writeText });
/** `toGlobalId(type, key)` of the key column */
const globalId = (type: NodeTypeName, keyColumn: string): Leaf => ({
  column: (alias) => `${column(alias, keyColumn)}::text`,
  write: (value) => `"${toGlobalId(type, value as string)}"`,
});
const textArray = (name: string): Leaf => ({ column: (alias) => column(alias, name), write: (value) => JSON.stringify(value) });

const division: JsonObjectType = {
  typeName: "Division",
  key: "code",
  leaves: {
    id: globalId("Division", "code"),
    code: text("code"),
    name: text("name"),
    level: text("level"),
    isPoorVillage: bool("is_poor_village"),
    exitYear: int("exit_year"),
  },
  relations: {},
};

const enterprise: JsonObjectType = {
  typeName: "Enterprise",
  key: "id",
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
  const contributed = Object.fromEntries(
    Object.entries(extra).map(([name, of]): [string, Leaf] => [name, { column: (alias) => of(sql.raw(column(alias, "id"))), write: writeNumber }]),
  );
  return {
    typeName: "Product",
    key: "id",
    leaves: {
      id: globalId("Product", "id"),
      name: text("name"),
      brand: text("brand"),
      category: text("category"),
      spec: text("spec"),
      unit: text("unit"),
      unitPrice: decimal("unit_price"),
      certifiedUnitPrice: decimal("certified_unit_price"),
      status: text("status"),
      catalogNo: text("catalog_no"),
      batch: text("batch"),
      validFrom: day("valid_from"),
      validUntil: day("valid_until"),
      annualSupplyCapacity: int("annual_supply_capacity"),
      availableSupply: int("available_supply"),
      description: text("description"),
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

/** A node selection compiled: the columns it reads (for the business day), its writer, and the joins it needs. */
export interface CompiledNode {
  /** `<expression> as "<alias>"` items of the page statement's select list */
  columns(): readonly SQL[];
  /** the node's JSON from a row of the page statement */
  write(row: Record<string, unknown>): string;
  relations: ReadonlySet<PageRelation>;
}

const MAX_FIELDS = 60;

interface Compiled {
  /** [alias, expression] of each column read; the expression built when asked (contributed ones read the day) */
  columns: [string, () => string | SQL][];
  write: (row: Record<string, unknown>) => string;
}

/**
 * The JSON of a Product selection, or undefined when it selects anything not covered (fragments,
 * directives, arguments, fields of other modules not contributed). Compiled once per query text;
 * the columns are rebuilt only when the business day turns, since contributed fields (带贫人数) read it.
 * `prefix` keeps the column aliases of several node selections in one statement apart.
 */
export function compileProductNode(selection: SelectionSetNode | undefined, extra: Readonly<Record<string, ProductFieldSql>>, prefix = "n"): CompiledNode | undefined {
  const relations = new Set<PageRelation>();
  const compiled = objectJson(productType(extra), "products", selection, relations, prefix, { next: 0 });
  if (!compiled) return undefined;
  if (relations.has("enterpriseCounty")) relations.add("enterprise");
  // The select list as one pre-rendered piece until the day turns (a __typename-only node reads nothing).
  const selectList = preRenderedPerDay(() =>
    sql.join(
      compiled.columns.map(([alias, expressionOf]) => {
        const expression = expressionOf();
        return sql`${typeof expression === "string" ? sql.raw(expression) : expression} as ${sql.raw(`"${alias}"`)}`;
      }),
      sql`, `,
    ),
  );
  return {
    relations,
    write: compiled.write,
    columns: () => (compiled.columns.length > 0 ? [selectList()] : []),
  };
}

function objectJson(
  type: JsonObjectType,
  alias: string,
  selection: SelectionSetNode | undefined,
  relations: Set<PageRelation>,
  prefix: string,
  counter: { next: number },
): Compiled | undefined {
  const fields = plainFields(selection);
  if (!fields || fields.size === 0 || fields.size > MAX_FIELDS) return undefined;
  const columns: Compiled["columns"] = [];
  const writers: ((row: Record<string, unknown>) => string)[] = [];
  let first = true;
  for (const [key, field] of fields) {
    const value = fieldJson(type, alias, field, relations, prefix, counter);
    if (!value) return undefined;
    columns.push(...value.columns);
    // Response keys are GraphQL names ([_A-Za-z][_0-9A-Za-z]*): nothing to escape in JSON.
    const label = `${first ? "{" : ","}"${key}":`;
    first = false;
    const write = value.write;
    writers.push((row) => label + write(row));
  }
  return {
    columns,
    write: (row) => {
      let out = "";
      for (const writer of writers) out += writer(row);
      return `${out}}`;
    },
  };
}

function fieldJson(
  type: JsonObjectType,
  alias: string,
  field: FieldNode,
  relations: Set<PageRelation>,
  prefix: string,
  counter: { next: number },
): Compiled | undefined {
  const name = field.name.value;
  if (name === "__typename") {
    const typeName = `"${type.typeName}"`;
    return isBareLeaf(field) ? { columns: [], write: () => typeName } : undefined;
  }
  if (Object.hasOwn(type.leaves, name)) {
    if (!isBareLeaf(field)) return undefined;
    const leaf = type.leaves[name]!;
    const columnAlias = `${prefix}${counter.next++}`;
    return { columns: [[columnAlias, () => leaf.column(alias)]], write: (row) => leaf.write(row[columnAlias]) };
  }
  if (!Object.hasOwn(type.relations, name) || (field.arguments?.length ?? 0) > 0) return undefined;
  const { relation, type: relatedType, nullable } = type.relations[name]!;
  const relatedAlias = relationAlias(relation);
  const inner = objectJson(relatedType(), relatedAlias, field.selectionSet, relations, prefix, counter);
  if (!inner) return undefined;
  relations.add(relation);
  if (!nullable) return inner;
  // Whether the join found a row: its key, read along.
  const keyAlias = `${prefix}${counter.next++}`;
  const key = column(relatedAlias, relatedType().key);
  return { columns: [[keyAlias, () => key], ...inner.columns], write: (row) => (row[keyAlias] == null ? "null" : inner.write(row)) };
}

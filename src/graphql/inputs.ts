import { z } from "zod";
import { InvalidArgumentError, UserErrorCode, UserFacingError } from "../errors.js";
import type { RequestContext } from "./context.js";
import { type DecodedGlobalId, type NodeTypeName, fromGlobalId, fromGlobalIdOf } from "./global-id.js";

/**
 * Inputs decided at the edge: every `<m>.inputs.ts` builds its zod schemas from these pieces, so a
 * global ID is decoded (to the expected type) inside the schema, explicit `null` equals absent, and
 * the parsed value is exactly what the service takes. No resolver decodes an ID by hand.
 */

const referenceTypes = new WeakMap<z.ZodType, NodeTypeName>();
const GLOBAL_ID_ISSUE = "globalId";

/** A global ID of one type, decoded to its local key; malformed or another type's ID is BAD_USER_INPUT. */
export function idOf(type: NodeTypeName) {
  const schema = z.string().transform((value, ctx) => {
    try {
      return fromGlobalIdOf(type, value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message, params: { [GLOBAL_ID_ISSUE]: true } });
      return z.NEVER;
    }
  });
  referenceTypes.set(schema, type);
  return schema;
}

/**
 * A global ID of any node type, decoded to its type and key (e.g. the audit log's `entityId`).
 * Malformed → BAD_USER_INPUT like `idOf`; it names no row of a known type, so it is not looked up.
 */
export function anyId() {
  return z.string().transform((value, ctx): DecodedGlobalId => {
    try {
      return fromGlobalId(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message, params: { [GLOBAL_ID_ISSUE]: true } });
      return z.NEVER;
    }
  });
}

/**
 * A global ID whose row the service looks up itself, so it can answer in the domain's words
 * (FORBIDDEN for another's row, NOT_FOUND for an ID of nothing) where parseInput's visibility check
 * would say NOT_FOUND for both. Decoded like `idOf` (malformed or another type's → BAD_USER_INPUT);
 * parseInput collects references on a pipe's input side, a plain string here, so it is not looked up.
 */
export function idCheckedByService(type: NodeTypeName) {
  return z.string().pipe(idOf(type));
}

/** An optional field: absent and explicit `null` both parse to `undefined`. */
export function optional<S extends z.ZodType>(schema: S) {
  return schema.nullish().transform((value) => (value ?? undefined) as z.output<S> | undefined);
}

/** An optional field whose `null` means "clear it" (kept as `null`; absent stays `undefined`). */
export function clearable<S extends z.ZodType>(schema: S) {
  return schema.nullish();
}

/** Validates a query argument; the first problem becomes a BAD_USER_INPUT naming its path. */
export function parseArgument<S extends z.ZodType>(schema: S, value: unknown, argument: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = [argument, ...issue.path.map(String)].join(".");
  throw new InvalidArgumentError(`\`${path}\`: ${issue.message}`, path);
}

/**
 * Validates a mutation's input. A malformed or foreign global ID anywhere in it is a BAD_USER_INPUT
 * naming `input.<path>` (a client bug, whatever else is wrong); any other problem is a userError
 * (INVALID) with its path. With the request context, every ID the input references must name a row
 * the caller may see: otherwise a NOT_FOUND userError names the field (one batched lookup per type).
 */
export async function parseInput<S extends z.ZodType>(schema: S, value: unknown, context?: RequestContext): Promise<z.output<S>> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const idIssue = result.error.issues.find((i) => i.code === "custom" && (i as { params?: Record<string, unknown> }).params?.[GLOBAL_ID_ISSUE]);
    if (idIssue) {
      const path = ["input", ...idIssue.path.map(String)].join(".");
      throw new InvalidArgumentError(`\`${path}\`: ${idIssue.message}`, path);
    }
    const issue = result.error.issues[0]!;
    const path = ["input", ...issue.path.map(String)];
    throw new UserFacingError(UserErrorCode.INVALID, `${path.slice(1).join(".") || "input"}: ${issue.message}`, path);
  }
  if (context) await assertReferencesExist(schema, result.data, context);
  return result.data;
}

interface Reference {
  type: NodeTypeName;
  key: string;
  path: string[];
}

async function assertReferencesExist(schema: z.ZodType, value: unknown, context: RequestContext): Promise<void> {
  const references: Reference[] = [];
  collectReferences(schema, value, ["input"], references);
  // Start every lookup at once: each type's DataLoader batches them into one statement.
  const found = await Promise.all(
    references.map(({ type, key }) => {
      const source = context.nodeSources[type];
      return source ? source(context, key) : Promise.resolve({});
    }),
  );
  const missing = references.findIndex((_, i) => found[i] == null);
  if (missing >= 0) {
    const { type, path } = references[missing]!;
    throw new UserFacingError(UserErrorCode.NOT_FOUND, `${path.slice(1).join(".")}: no ${type} with this ID (or it is not visible to you)`, path);
  }
}

/** Walks a parsed value along its schema, collecting the decoded global IDs with their paths. */
function collectReferences(schema: z.ZodType, value: unknown, path: string[], into: Reference[]): void {
  if (value === undefined || value === null) return;
  const type = referenceTypes.get(schema);
  if (type) {
    into.push({ type, key: value as string, path });
    return;
  }
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "nonoptional":
      return collectReferences(def.innerType as z.ZodType, value, path, into);
    case "pipe":
      // optional()'s pipe: the reference sits on its input side; a transform's output keeps its shape.
      collectReferences(def.in as z.ZodType, value, path, into);
      return;
    case "object": {
      const shape = def.shape as Record<string, z.ZodType>;
      for (const [field, fieldSchema] of Object.entries(shape)) {
        collectReferences(fieldSchema, (value as Record<string, unknown>)[field], [...path, field], into);
      }
      return;
    }
    case "array":
      if (Array.isArray(value)) value.forEach((item, i) => collectReferences(def.element as z.ZodType, item, [...path, String(i)], into));
      return;
    default:
      return;
  }
}

import { registerEnumType } from "type-graphql";

/** One value of a domain enum: its Chinese label (for charts, exports, messages) and, if longer, its description. */
export interface EnumValue {
  label: string;
  /** the SDL description; defaults to the label */
  description?: string;
}

/**
 * Declares a GraphQL enum once: the values object services use, the SDL descriptions, and the Chinese
 * labels (`labelOf`), so no module keeps a second list of the same names.
 */
export function defineEnum<const V extends Record<string, EnumValue>>(
  name: string,
  description: string,
  values: V,
): { readonly [K in keyof V]: K } {
  const enumObject = Object.fromEntries(Object.keys(values).map((key) => [key, key])) as { [K in keyof V]: K };
  registerEnumType(enumObject, {
    name,
    description,
    valuesConfig: Object.fromEntries(Object.entries(values).map(([key, v]) => [key, { description: v.description ?? v.label }])) as never,
  });
  labels.set(enumObject, Object.fromEntries(Object.entries(values).map(([key, v]) => [key, v.label])));
  return enumObject;
}

const labels = new WeakMap<object, Record<string, string>>();

/** The Chinese label of a value of an enum declared with `defineEnum` (null for an unknown value). */
export function labelOf(enumObject: object, value: string): string | null {
  return labels.get(enumObject)?.[value] ?? null;
}

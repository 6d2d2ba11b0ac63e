import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

function invalid(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}

const decimalPattern = /^-?[0-9]{1,10}(\.[0-9]{1,2})?$/;
/** Already as the API answers it (what numeric(…, 2) columns and their sums give as text): returned as it is. */
const twoDecimalsPattern = /^-?[0-9]{1,10}\.[0-9]{2}$/;

/** Money in yuan, as a string with two decimals ("1234.50"); never a float. */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: "Decimal",
  description: 'An amount of money in yuan (CNY), as a string with two decimals, e.g. "1234.50". Never a float.',
  serialize(value) {
    if (typeof value === "string" && twoDecimalsPattern.test(value)) return value;
    const text = typeof value === "string" ? value : String(value);
    if (!decimalPattern.test(text)) throw new GraphQLError("Decimal cannot represent this value");
    const [whole, fraction = ""] = text.split(".");
    return `${whole}.${fraction.padEnd(2, "0")}`;
  },
  parseValue(value) {
    if (typeof value === "string" && decimalPattern.test(value.trim())) return value.trim();
    if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) < 1e10) return String(value);
    throw invalid('Decimal must be a string such as "12.50" (at most 10 digits before and 2 after the point)');
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING && decimalPattern.test(ast.value.trim())) return ast.value.trim();
    if (ast.kind === Kind.INT && Math.abs(Number(ast.value)) < 1e10) return ast.value;
    throw invalid('Decimal must be a string such as "12.50" (at most 10 digits before and 2 after the point)');
  },
});

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(text: string): boolean {
  const m = datePattern.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** A calendar date, "2020-12-31". */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: "Date",
  description: 'A calendar date, "YYYY-MM-DD" (e.g. "2020-12-31").',
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (typeof value === "string" && isCalendarDate(value)) return value;
    throw new GraphQLError("Date cannot represent this value");
  },
  parseValue(value) {
    if (typeof value === "string" && isCalendarDate(value)) return value;
    throw invalid('Date must be a calendar date "YYYY-MM-DD"');
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING && isCalendarDate(ast.value)) return ast.value;
    throw invalid('Date must be a calendar date "YYYY-MM-DD"');
  },
});

const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(text: string): Date {
  const date = dateTimePattern.test(text) && isCalendarDate(text.slice(0, 10)) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw invalid('DateTime must be ISO 8601 with a time zone, e.g. "2020-06-01T08:00:00Z"');
  return date;
}

/** An instant, ISO 8601 in UTC with milliseconds. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: 'An instant in ISO 8601, always returned in UTC with milliseconds, e.g. "2020-06-01T08:00:00.000Z".',
  serialize(value) {
    const date = value instanceof Date ? value : typeof value === "string" ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) throw new GraphQLError("DateTime cannot represent this value");
    return date.toISOString();
  },
  parseValue(value) {
    if (typeof value !== "string") throw invalid("DateTime must be a string");
    return parseDateTime(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw invalid("DateTime must be a string");
    return parseDateTime(ast.value);
  },
});

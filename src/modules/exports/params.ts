import { businessTimeZoneName, businessToday, businessYear } from "../../clock.js";
import { isCalendarDay } from "../../db/keyset.js";
import { InvalidArgumentError } from "../../errors.js";
import type { RequestContext } from "../../graphql/context.js";
import { countyScope } from "../geography/index.js";
import { yearSchema } from "../procurement/index.js";

/**
 * The query parameters of the exports, checked at the edge like GraphQL arguments: a bad one is an
 * InvalidArgumentError (HTTP 400, BAD_USER_INPUT, naming the parameter); unknown or repeated
 * parameters are refused too, so a typo (`county=`) never exports everything silently.
 */
export class ExportParams {
  constructor(private readonly query: URLSearchParams) {}

  /** Refuses parameters other than these, and any given twice. */
  only(...allowed: string[]): this {
    const seen = new Set<string>();
    for (const name of this.query.keys()) {
      if (!allowed.includes(name)) {
        const expected = allowed.length > 0 ? `; expected ${allowed.map((a) => `\`${a}\``).join(", ")}` : "; this export takes none";
        throw new InvalidArgumentError(`Unknown parameter \`${name.slice(0, 40)}\`${expected}`, name.slice(0, 40));
      }
      if (seen.has(name)) throw new InvalidArgumentError(`\`${name}\` is given more than once`, name);
      seen.add(name);
    }
    return this;
  }

  /** A parameter's value; an empty value (`?year=`) counts as absent. */
  private text(name: string): string | undefined {
    const value = this.query.get(name);
    return value == null || value.trim() === "" ? undefined : value.trim();
  }

  /** `year`: a plan year (2015–2100); `fallback` when absent. */
  year(fallback: "current"): number;
  year(fallback: "none"): number | undefined;
  year(fallback: "current" | "none"): number | undefined {
    const text = this.text("year");
    if (text === undefined) return fallback === "current" ? businessYear() : undefined;
    if (!/^\d{1,4}$/.test(text)) throw new InvalidArgumentError("`year` must be a year such as 2020", "year");
    const parsed = yearSchema.safeParse(Number(text));
    if (!parsed.success) throw new InvalidArgumentError(`\`year\` ${parsed.error.issues[0]?.message ?? "is out of range"}`, "year");
    return parsed.data;
  }

  /** `countyCode`: a county of the prefecture (433100 or absent: all), checked as GraphQL checks it. */
  async countyCode(context: RequestContext): Promise<string | undefined> {
    const text = this.text("countyCode");
    if (text === undefined) return undefined;
    if (!/^\d{6}$/.test(text)) throw new InvalidArgumentError("`countyCode` must be a 6-digit county code such as 433124", "countyCode");
    return countyScope(text, context.loaders.divisionByCode, "countyCode");
  }

  /** `asOf`: a calendar day "YYYY-MM-DD"; today (China time) when absent. */
  asOf(): string {
    const text = this.text("asOf");
    if (text === undefined) return businessToday();
    if (!isCalendarDay(text)) throw new InvalidArgumentError('`asOf` must be a calendar date "YYYY-MM-DD", e.g. 2020-12-31', "asOf");
    return text;
  }

  /** `batch`: 入录批次, e.g. 2020年第三批 (exact match). */
  batch(): string | undefined {
    const text = this.text("batch");
    if (text === undefined) return undefined;
    // URLSearchParams has decoded the text (bad UTF-8 became U+FFFD): control characters are what is left to refuse.
    if (text.length > 50 || /[\u0000-\u001f\u007f]/.test(text)) {
      throw new InvalidArgumentError("`batch` must be a batch name of at most 50 characters, e.g. 2020年第三批", "batch");
    }
    return text;
  }

  /** An enumerated parameter, `fallback` when absent. */
  oneOf<const T extends string>(name: string, values: readonly T[], fallback: T): T {
    const text = this.text(name);
    if (text === undefined) return fallback;
    if (!(values as readonly string[]).includes(text)) {
      throw new InvalidArgumentError(`\`${name}\` must be one of ${values.join(", ")}`, name);
    }
    return text as T;
  }
}

const parts = () =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone: businessTimeZoneName(),
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });

/** An instant as ISO 8601 in the business time zone, with its offset: "2020-06-01T16:00:00.000+08:00". */
export function businessInstant(instant: Date | null | undefined): string | null {
  if (!instant) return null;
  const p = Object.fromEntries(parts().formatToParts(instant).map((x) => [x.type, x.value]));
  const wall = `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
  const ms = instant.getUTCMilliseconds();
  const offsetMinutes = Math.round((Date.parse(`${wall}Z`) - (instant.getTime() - ms)) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return `${wall}.${String(ms).padStart(3, "0")}${offset}`;
}

/** A decimal fraction ("0.2143") as a percentage ("21.43"), by moving the point: exact, no float. */
export function percentOfFraction(fraction: string | null): string | null {
  if (fraction == null) return null;
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(fraction);
  if (!m) throw new Error("not a decimal");
  const digits = `${m[2]}${(m[3] ?? "").padEnd(2, "0")}`;
  const whole = digits.slice(0, m[2]!.length + 2).replace(/^0+(?=\d)/, "");
  const rest = digits.slice(m[2]!.length + 2);
  return `${m[1]}${whole}${rest ? `.${rest}` : ""}`;
}

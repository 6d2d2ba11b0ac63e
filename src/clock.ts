/**
 * The platform's clock: "today", expiry, default `asOf`, validity windows and the month of a delivery
 * are reckoned in the business time zone (China Standard Time by default, DOMAIN.md "Time"), whatever
 * the server's or the database session's zone; instants stay UTC. The composition root sets the zone
 * once from `BUSINESS_TIME_ZONE`.
 */

const DEFAULT_BUSINESS_TIME_ZONE = "Asia/Shanghai";
/** IANA names only: safe to put in SQL as a literal (PostgreSQL knows the same names). */
const zoneNamePattern = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

let businessTimeZone = DEFAULT_BUSINESS_TIME_ZONE;
let dayFormat = formatterFor(businessTimeZone);

function formatterFor(zone: string): Intl.DateTimeFormat {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
}

/** Whether a zone name is an IANA zone both Node and PostgreSQL understand. */
export function isTimeZone(zone: string): boolean {
  if (!zoneNamePattern.test(zone)) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** Sets the business time zone (the composition root does, from the config, which has checked it). */
export function setBusinessTimeZone(zone: string): void {
  if (!isTimeZone(zone)) throw new Error(`not an IANA time zone: ${zone}`);
  businessTimeZone = zone;
  dayFormat = formatterFor(zone);
  lastMinute = { minute: Number.NaN, day: "" };
}

export function businessTimeZoneName(): string {
  return businessTimeZone;
}

/** The last minute formatted in the business zone, and its day (formatting is the costly part). */
let lastMinute = { minute: Number.NaN, day: "" };

/** The business day of an instant (today by default), "YYYY-MM-DD"; in another zone if one is named. */
export function businessToday(now = new Date(), zone?: string): string {
  if (zone) return formatterFor(zone).format(now);
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute === lastMinute.minute) return lastMinute.day;
  const day = dayFormat.format(now);
  // Kept for the minute only when the whole minute is one day (some historical offsets had seconds).
  if (Number.isFinite(minute) && dayFormat.format(minute * 60_000) === day && dayFormat.format(minute * 60_000 + 59_999) === day) {
    lastMinute = { minute, day };
  }
  return day;
}

/** The plan's year of an instant (today by default): the business day's year. */
export function businessYear(now = new Date(), zone?: string): number {
  return Number(businessToday(now, zone).slice(0, 4));
}

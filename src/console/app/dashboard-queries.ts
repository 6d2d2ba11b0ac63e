// The 规划指标 dashboard's two first queries, and their early start: the page's entry (main.tsx) sends
// them as soon as it runs when it opens on the dashboard with a stored session, while the browser is
// still loading React, ECharts and the page; the dashboard then takes those answers instead of asking
// again. Nothing here may import React or ECharts (this module is part of the small entry chunk).
import { type Viewer, gql, loadSession } from "./api.js";
import { chinaToday } from "./labels.js";

export const dashboardPath = "/console/dashboard";

export const INDICATOR = `numerator denominator rate target byCounty { county { code name } numerator denominator rate }`;
export const INDICATORS = `query DashboardIndicators($asOf: Date, $county: String) {
  pairingCoverage(asOf: $asOf, countyCode: $county) { ${INDICATOR} }
  benefitLinkCoverage(asOf: $asOf, countyCode: $county) { households { ${INDICATOR} } villages { ${INDICATOR} } }
  certificationPipeline(asOf: $asOf, countyCode: $county) {
    byCountyAndStatus { county { code name } status label count } listedByCategory { category label count } expiringWithin60Days
    expiringListings { product { name catalogNo enterprise { name } } county { code name } validUntil }
  }
}`;
const FIGURES = `reservedAmount deliveredAmount completionRate`;
const AMOUNT = `key label amount`;
export const PROGRESS = `query DashboardProgress($year: Int!, $county: String) {
  consumptionProgress(year: $year, countyCode: $county) {
    totals { ${FIGURES} }
    byCounty { label county { code } progress { ${FIGURES} } }
    supervisingUnits { budgetUnit { name } ${FIGURES} }
    deliveredByMonth { ${AMOUNT} } deliveredByOriginCounty { ${AMOUNT} } deliveredByCategory { ${AMOUNT} } deliveredByEnterprise { ${AMOUNT} }
  }
}`;

/** Who may open the dashboard (app.tsx's menu rule for it). */
export const mayOpenDashboard = (viewer: Viewer | null): boolean => viewer?.role === "ADMIN" || viewer?.role === "REVIEWER";

/** The county a county office's dashboard opens on ("" = the whole prefecture). */
export const ownCountyOf = (viewer: Viewer): string => (viewer.division?.level === "COUNTY" ? viewer.division.code : "");

/** The dashboard's two answers for one (asOf, county), asked for once. */
export interface DashboardQueries<I, P> {
  indicators: Promise<I>;
  progress: Promise<P>;
  /** when both answers were in (performance.now(); NaN if one failed) */
  answered: Promise<number>;
  /** each answer once it is in (the page renders with answers that came before it loaded) */
  arrived: { indicators?: I; progress?: P };
}

/** Sends both queries at once (the dashboard's own path, and the early start's). */
export function sendDashboardQueries<I, P>(asOf: string, county: string, token?: string): DashboardQueries<I, P> {
  const countyCode = county || null;
  const indicators = gql<I>(INDICATORS, { asOf, county: countyCode }, token);
  const progress = gql<P>(PROGRESS, { year: Number(asOf.slice(0, 4)), county: countyCode }, token);
  const arrived: DashboardQueries<I, P>["arrived"] = {};
  const answered = Promise.all([indicators.then((data) => (arrived.indicators = data)), progress.then((data) => (arrived.progress = data))]).then(
    () => performance.now(),
    () => Number.NaN,
  );
  return { indicators, progress, answered, arrived };
}

let early: { key: string; queries: DashboardQueries<unknown, unknown> } | null = null;
const keyOf = (token: string, asOf: string, county: string) => JSON.stringify([token, asOf, county]);

/**
 * Called first thing by the entry: on the dashboard's path with a session that may open it, sends its
 * two queries for today and the viewer's own scope (what the page will ask for when it mounts).
 */
export function startDashboardQueriesEarly(): void {
  if (window.location.pathname !== dashboardPath) return;
  const session = loadSession();
  if (!session || !mayOpenDashboard(session.viewer)) return;
  const asOf = chinaToday();
  const county = ownCountyOf(session.viewer);
  const queries = sendDashboardQueries(asOf, county);
  // Failures are the page's to show (it takes the promises); unhandled until then is not an error.
  queries.indicators.catch(() => {});
  queries.progress.catch(() => {});
  early = { key: keyOf(session.token, asOf, county), queries };
}

/** The early queries if they were sent for this scope and session (once: a later change asks again). */
export function takeEarlyDashboardQueries<I, P>(asOf: string, county: string): DashboardQueries<I, P> | null {
  const token = loadSession()?.token;
  const taken = early;
  early = null;
  if (!taken || !token || taken.key !== keyOf(token, asOf, county)) return null;
  return taken.queries as DashboardQueries<I, P>;
}

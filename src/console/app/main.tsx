// The console at /console (issue 14.2): React, ECharts from echarts/core, bundled by Vite
// (src/console/build.ts). No CDN, no web font, no map: everything comes from this server.
//
// This entry is small on purpose: opened on the dashboard, it sends the dashboard's queries before the
// browser has loaded React, ECharts and the pages (the chunks imported below, in parallel), so the
// server answers while they load and start.
import "./style.css";
import { dashboardPath, startDashboardQueriesEarly } from "./dashboard-queries.js";

// The chunks are asked for first: the server sends them at once, before it works on the queries.
if (window.location.pathname === dashboardPath) void import("./pages/dashboard.js");
void import("./boot.js");
startDashboardQueriesEarly();

// The console at /console (issue 14.2): React, ECharts from echarts/core, bundled by Vite
// (src/console/build.ts). No CDN, no web font, no map: everything comes from this server.
import "./style.css";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";

createRoot(document.getElementById("console")!).render(<App />);

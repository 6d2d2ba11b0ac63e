// React and the console's shell, loaded by main.tsx after it has sent any early queries.
import { createRoot } from "react-dom/client";
import { App } from "./app.js";

createRoot(document.getElementById("console")!).render(<App />);

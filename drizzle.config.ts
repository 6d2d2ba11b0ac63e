// The schema barrel reaches the tables through the modules' faces, which also declare GraphQL types.
import "reflect-metadata";
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./drizzle",
});

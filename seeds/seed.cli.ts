// First: the modules' faces declare GraphQL types, whose decorators need the metadata polyfill.
import "reflect-metadata";
/** npm run db:seed — applies the migrations, then seeds reference divisions and demo data (idempotent). */
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/client.js";
import { seedDemoAccounts } from "./accounts.js";
import { seedBudgetUnits } from "./budget-units.js";
import { seedDemoData } from "./seed.js";

const config = loadConfig();
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  await database.migrate();
  const counts = await seedDemoData(database);
  console.log(
    `Seeded: ${counts.divisions} divisions, ${counts.enterprises} enterprises, ${counts.products} products, ${counts.certificationEvents} certification events inserted (existing rows left unchanged).`,
  );
  if (config.NODE_ENV !== "production") console.log(`Demo accounts inserted: ${await seedDemoAccounts(database)}`);
  console.log(`Budget units inserted: ${await seedBudgetUnits(database, config.NODE_ENV !== "production")}`);
} finally {
  await database.close();
}

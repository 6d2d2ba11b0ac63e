import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "../../src/db/client.js";
import { products } from "../../src/db/schema.js";
import type { Services } from "../../src/graphql/context.js";
import { toGlobalId } from "../../src/graphql/global-id.js";
import type { Command } from "../../src/actor.js";
import type { ProductRow } from "../../src/modules/catalog/index.js";
import { usccCheckCharacter } from "../../src/modules/enterprises/index.js";
import type { ProductFields } from "../../src/modules/catalog/index.js";
import type { NewHousehold } from "../../src/modules/households/index.js";
import { idCheckCharacter } from "../../src/modules/households/index.js";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString("hex")}`;

/** A checksum-valid USCC never used before (organisation code random). */
export function freshUscc(countyCode = "433124"): string {
  const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const org = Array.from(randomBytes(9), (b) => alphabet[b % alphabet.length]).join("");
  const first17 = `93${countyCode}${org}`;
  return first17 + usccCheckCharacter(first17);
}

export function freshUsername(prefix = "user"): string {
  return `${prefix}_${unique()}`;
}

export const productFields: ProductFields = {
  name: "十八洞猕猴桃",
  brand: "十八洞",
  category: "FRUIT",
  spec: "12个/箱",
  unit: "箱",
  unitPrice: "88.00",
  originCountyCode: "433124",
  originVillageCode: "433124103201",
  annualSupplyCapacity: 10000,
  availableSupply: 500,
  description: "十八洞村猕猴桃基地直供",
  imageUrls: [],
};

/** Builds products in a given workflow state through the services, as an admin. */
export async function productInState(
  database: Database,
  services: Services,
  admin: Command,
  enterpriseId: string,
  state: "DRAFT" | "SUBMITTED" | "CERTIFIED" | "REJECTED" | "LISTED" | "REVOKED" | "EXPIRED",
  fields: Partial<ProductFields> = {},
): Promise<ProductRow> {
  let product = await services.products.createProduct(admin, enterpriseId, { ...productFields, ...fields });
  if (state === "DRAFT") return product;
  product = await services.certification.submit(admin, product.id);
  if (state === "SUBMITTED") return product;
  if (state === "REJECTED") return services.certification.review(admin, product.id, "REJECT", "材料不全");
  product = await services.certification.review(admin, product.id, "APPROVE", null);
  if (state === "CERTIFIED") return product;
  [product] = (await services.certification.list(admin, [product.id], "测试批次")) as [ProductRow];
  if (state === "LISTED") return product;
  if (state === "REVOKED") return services.certification.revoke(admin, product.id, "抽检不合格");
  // Time travel: no service moves a validity window into the past.
  const [expired] = await database.db
    .update(products)
    .set({ validFrom: "2018-01-01", validUntil: "2019-12-31" })
    .where(eq(products.id, product.id))
    .returning();
  return expired!;
}

export const gid = {
  product: (id: string) => toGlobalId("Product", id),
  enterprise: (id: string) => toGlobalId("Enterprise", id),
  user: (id: string) => toGlobalId("User", id),
  apiKey: (id: string) => toGlobalId("ApiKey", id),
  household: (id: string) => toGlobalId("Household", id),
  pairing: (id: string) => toGlobalId("Pairing", id),
  benefitLink: (id: string) => toGlobalId("BenefitLink", id),
};

let householdCounter = 0;

/** A checksum-valid ID number for a person born in 1980 in 花垣县 (GB 11643). */
export function freshIdNumber(region = "433124"): string {
  const sequence = String(100 + (householdCounter++ % 900)).padStart(3, "0");
  const day = String(1 + (householdCounter % 28)).padStart(2, "0");
  const first17 = `${region}198001${day}${sequence}`;
  return first17 + idCheckCharacter(first17);
}

/** Registers a household through the service, as an admin; returns it with the whole ID number (tests only). */
export async function householdIn(services: Services, admin: Command, villageCode = "433124103201", patch: Partial<NewHousehold> = {}) {
  const headIdNumber = patch.headIdNumber ?? freshIdNumber(villageCode.slice(0, 6));
  const household = await services.households.create(admin, {
    householdNo: `${villageCode.slice(0, 6)}-${Date.now().toString(36)}-${householdCounter++}`,
    villageCode,
    headName: "龙先兰",
    members: 4,
    laborCapacity: true,
    developmentWillingness: true,
    status: "OUT_OF_POVERTY",
    monitoringReason: null,
    exitYear: 2017,
    ...patch,
    headIdNumber,
  });
  return { household, headIdNumber };
}

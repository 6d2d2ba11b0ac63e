import type { ProductRow } from "../catalog/index.js";

export type ProductStatus = ProductRow["status"];

/**
 * The certification workflow, in one place (DOMAIN.md):
 * DRAFT → SUBMITTED (申报) → CERTIFIED (认定) | REJECTED ; CERTIFIED → LISTED (入录) ; LISTED → REVOKED (撤销).
 * A rejected product, or an expired listing, may be submitted again; editing a certified field of a
 * certified or listed product sends it back to SUBMITTED.
 */
export const certificationSteps = {
  submit: { from: ["DRAFT", "REJECTED"], alsoExpiredListing: true, to: "SUBMITTED" },
  approve: { from: ["SUBMITTED"], alsoExpiredListing: false, to: "CERTIFIED" },
  reject: { from: ["SUBMITTED"], alsoExpiredListing: false, to: "REJECTED" },
  list: { from: ["CERTIFIED"], alsoExpiredListing: false, to: "LISTED" },
  revoke: { from: ["CERTIFIED", "LISTED"], alsoExpiredListing: false, to: "REVOKED" },
  recertify: { from: ["CERTIFIED", "LISTED"], alsoExpiredListing: false, to: "SUBMITTED" },
} as const satisfies Record<string, { from: readonly ProductStatus[]; alsoExpiredListing: boolean; to: ProductStatus }>;

export type CertificationStep = keyof typeof certificationSteps;

export const stepNames: Record<CertificationStep, string> = {
  submit: "申报 submit for certification",
  approve: "认定 certify",
  reject: "驳回 reject",
  list: "入录 enter in the catalog",
  revoke: "撤销认定 revoke",
  recertify: "重新认定 send back for review",
};

/** Whether a product in this state may take this step today. */
export function mayTake(step: CertificationStep, product: Pick<ProductRow, "status" | "validUntil">, today: string): boolean {
  const rule = certificationSteps[step];
  if ((rule.from as readonly ProductStatus[]).includes(product.status)) return true;
  return rule.alsoExpiredListing && product.status === "LISTED" && product.validUntil != null && product.validUntil < today;
}

/** Fields whose change needs a new certification (认定) — name, brand, spec, category, origin. */
export const certifiedFields = ["name", "brand", "spec", "unit", "category", "originCountyCode", "originVillageCode"] as const;

/** Last day of a listing that starts on `validFrom` and lasts `years` (2020-06-01 + 2 → 2022-05-31). */
export function validUntilFor(validFrom: string, years: number): string {
  const [y, m, d] = validFrom.split("-").map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y + years, m - 1, d) - 24 * 3600 * 1000);
  return end.toISOString().slice(0, 10);
}

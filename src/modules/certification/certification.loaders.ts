import DataLoader from "dataloader";
import type { RequestContext } from "../../graphql/context.js";
import { rowLoader } from "../../graphql/dataloader.js";
import type { UserRow } from "../accounts/index.js";
import type { CertificationEventRow } from "./certification.schema.js";

export function createCertificationLoaders({ services: { certification, accounts } }: RequestContext) {
  return {
    /**
     * The people who took certification steps, unguarded: only `certificationActorAsSeenBy`
     * (certification.policy.ts) may read these rows, never a resolver returning them as Users.
     */
    certificationActorRow: rowLoader<string, UserRow>((ids) => accounts.usersByIds(ids), (row) => row.id),
    /** `Product.certificationHistory`: every product's events in one statement. */
    certificationHistory: new DataLoader<string, CertificationEventRow[]>(async (ids) => {
      const byProduct = await certification.historyOf(ids);
      return ids.map((id) => byProduct.get(id) ?? []);
    }),
  };
}

import DataLoader from "dataloader";
import { guardedLoader, rowLoader } from "../../graphql/dataloader.js";
import type { RequestContext } from "../../graphql/context.js";
import { enterprisePolicy } from "./enterprise.policy.js";
import type { EnterpriseStatusRow } from "./enterprise-status.schema.js";
import type { EnterpriseRow } from "./enterprise.schema.js";

export function createEnterpriseLoaders(context: RequestContext) {
  const { enterprises } = context.services;
  const rows = rowLoader<string, EnterpriseRow>((ids) => enterprises.enterprisesByIds(ids), (row) => row.id);
  return {
    /** The rows themselves, unguarded: a statement that already read them (a catalog page) primes this cache. */
    enterpriseRowById: rows,
    /** Every path to an enterprise by id (node/nodes, `enterprise(id:)`, Product.enterprise, ...): through its policy. */
    enterpriseById: guardedLoader(rows, (loaded) => enterprisePolicy.may(context.actor, loaded)),
    /** `Enterprise.statusHistory`: one statement for every enterprise of the response. */
    enterpriseStatusHistory: new DataLoader<string, EnterpriseStatusRow[]>(async (ids) => {
      const histories = await enterprises.statusHistories(ids);
      return ids.map((id) => histories.get(id) ?? []);
    }),
  };
}

import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiSchema } from "../src/app.js";
import { isPublicAddress } from "../src/modules/webhooks/index.js";
import { type Credentials, errorCodes, useTestApi } from "./support/api.js";

/**
 * Webhook subscriptions (issue 12.3) through the API with the production SSRF guard
 * (WEBHOOK_ALLOW_PRIVATE unset): who manages them, the secret shown once, and URLs refused.
 */

const setup = useTestApi();
const PUBLIC_URL = "https://93.184.215.14/fupin/webhooks";

const CREATE = `mutation ($input: CreateWebhookSubscriptionInput!) {
  createWebhookSubscription(input: $input) {
    subscription { id url events apiKeyId enabled consecutiveFailures }
    signingSecret
    userErrors { code field message }
  } }`;
const LIST = `query ($apiKeyId: ID) { webhookSubscriptions(apiKeyId: $apiKeyId) { id url events apiKeyId enabled } }`;
const DELETE = `mutation ($input: DeleteWebhookSubscriptionInput!) { deleteWebhookSubscription(input: $input) { subscription { id } userErrors { code field } } }`;
const ENABLE = `mutation ($input: EnableWebhookSubscriptionInput!) { enableWebhookSubscription(input: $input) { subscription { id enabled } userErrors { code field } } }`;

const partner = () => setup.callers.credentials.partner;
const admin = () => setup.callers.credentials.admin;

async function partnerKeyId(): Promise<string> {
  const keys = (await setup.api.run(`{ apiKeys { id partnerName } }`, {}, admin())).data.apiKeys as { id: string; partnerName: string }[];
  return keys.find((k) => k.partnerName === "扶贫832平台")!.id;
}

/** A second partner with a key of its own. */
async function otherPartner(): Promise<{ credentials: Credentials; apiKeyId: string }> {
  const data = (
    await setup.api.run(
      `mutation { createApiKey(input: {name: "惠农网", partnerName: "惠农网", scopes: [CATALOG_READ]}) { apiKey { id } secret userErrors { code } } }`,
      {},
      admin(),
    )
  ).data.createApiKey;
  return { credentials: { apiKey: data.secret }, apiKeyId: data.apiKey.id };
}

async function create(input: Record<string, unknown>, as: Credentials) {
  return setup.api.run(CREATE, { input }, as);
}

const subscriptionCount = async () => Number((await setup.database.rows<{ n: number }>(sql`select count(*)::int as n from webhook_subscriptions`))[0]!.n);

describe("createWebhookSubscription", () => {
  it("gives a partner a subscription on its own key and the signing secret, once", async () => {
    const result = await create({ url: PUBLIC_URL, events: ["CATALOG_CHANGED", "ORDER_CHANGED", "CATALOG_CHANGED"] }, partner());
    expect(result.errors).toBeUndefined();
    const payload = result.data.createWebhookSubscription;
    expect(payload.userErrors).toEqual([]);
    expect(payload.signingSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(payload.subscription).toMatchObject({ url: PUBLIC_URL, events: ["CATALOG_CHANGED", "ORDER_CHANGED"], apiKeyId: await partnerKeyId(), enabled: true, consecutiveFailures: 0 });

    // Listed, by ID and in the list, without any way to read the secret again.
    const listed = (await setup.api.run(LIST, {}, partner())).data.webhookSubscriptions;
    expect(listed.map((s: { id: string }) => s.id)).toContain(payload.subscription.id);
    const node = await setup.api.run(`query ($id: ID!) { node(id: $id) { ... on WebhookSubscription { url } } }`, { id: payload.subscription.id }, partner());
    expect(node.data.node).toEqual({ url: PUBLIC_URL });
    const type = (await apiSchema()).getType("WebhookSubscription") as { getFields(): Record<string, unknown> };
    expect(Object.keys(type.getFields()).filter((f) => /secret/i.test(f))).toEqual([]);
    const audit = await setup.database.rows<{ changes: unknown }>(sql`select changes from audit_log where operation = 'createWebhookSubscription'`);
    expect(JSON.stringify(audit)).not.toContain(payload.signingSecret);
  });

  it("lets an admin subscribe any partner key, naming it", async () => {
    const apiKeyId = await partnerKeyId();
    const made = (await create({ url: PUBLIC_URL, events: ["PRODUCT_REVIEWED"], apiKeyId }, admin())).data.createWebhookSubscription;
    expect(made.userErrors).toEqual([]);
    expect(made.subscription.apiKeyId).toBe(apiKeyId);
    const unnamed = (await create({ url: PUBLIC_URL, events: ["PRODUCT_REVIEWED"] }, admin())).data.createWebhookSubscription;
    expect(unnamed.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "apiKeyId"] })]);
  });

  it("refuses a partner subscribing another partner's key, and callers who are not partners or admins", async () => {
    const other = await otherPartner();
    const before = await subscriptionCount();
    expect(errorCodes(await create({ url: PUBLIC_URL, events: ["CATALOG_CHANGED"], apiKeyId: other.apiKeyId }, partner()))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await create({ url: PUBLIC_URL, events: ["CATALOG_CHANGED"] }, {}))).toEqual(["UNAUTHENTICATED"]);
    for (const caller of ["prefectureReviewer", "ownEnterprise", "officer"] as const) {
      expect(errorCodes(await create({ url: PUBLIC_URL, events: ["CATALOG_CHANGED"] }, setup.callers.credentials[caller]))).toEqual(["FORBIDDEN"]);
      expect(errorCodes(await setup.api.run(LIST, {}, setup.callers.credentials[caller]))).toEqual(["FORBIDDEN"]);
    }
    expect(await subscriptionCount()).toBe(before);
  });

  it("refuses a revoked key", async () => {
    const other = await otherPartner();
    await setup.api.run(`mutation ($id: ID!) { revokeApiKey(input: {apiKeyId: $id}) { userErrors { code } } }`, { id: other.apiKeyId }, admin());
    const result = (await create({ url: PUBLIC_URL, events: ["CATALOG_CHANGED"], apiKeyId: other.apiKeyId }, admin())).data.createWebhookSubscription;
    expect(result.userErrors).toEqual([expect.objectContaining({ code: "NOT_FOUND", field: ["input", "apiKeyId"] })]);
  });

  it.each([
    ["not a URL", "不是网址"],
    ["another scheme", "ftp://93.184.215.14/hook"],
    ["plain http in production", "http://93.184.215.14/hook"],
    ["loopback", "https://127.0.0.1/hook"],
    ["localhost by name", "https://localhost/hook"],
    ["a private network", "https://10.1.2.3/hook"],
    ["another private network", "https://192.168.1.20/hook"],
    ["the cloud metadata address", "https://169.254.169.254/latest/meta-data"],
    ["carrier-grade NAT", "https://100.64.0.1/hook"],
    ["IPv6 loopback", "https://[::1]/hook"],
    ["IPv4-mapped loopback", "https://[::ffff:127.0.0.1]/hook"],
    ["IPv6 unique local", "https://[fd00::1]/hook"],
    ["the unspecified address", "https://0.0.0.0/hook"],
    ["credentials in the URL", "https://partner:secret@93.184.215.14/hook"],
    ["a host that does not resolve", "https://no-such-host.invalid/hook"],
  ])("answers %s as a userError on `url` and stores nothing", async (_, url) => {
    const before = await subscriptionCount();
    const result = await create({ url, events: ["CATALOG_CHANGED"] }, partner());
    expect(result.errors).toBeUndefined();
    expect(result.data.createWebhookSubscription).toMatchObject({ subscription: null, signingSecret: null });
    expect(result.data.createWebhookSubscription.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "url"] })]);
    expect(await subscriptionCount()).toBe(before);
  });

  it("needs at least one event", async () => {
    const result = (await create({ url: PUBLIC_URL, events: [] }, partner())).data.createWebhookSubscription;
    expect(result.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "events"] })]);
  });
});

describe("managing subscriptions", () => {
  it("shows a partner only its own key's subscriptions, and an admin every key's", async () => {
    const other = await otherPartner();
    const mine = (await create({ url: PUBLIC_URL, events: ["CATALOG_CHANGED"] }, partner())).data.createWebhookSubscription.subscription;
    const theirs = (await create({ url: PUBLIC_URL, events: ["CATALOG_CHANGED"] }, other.credentials)).data.createWebhookSubscription.subscription;
    const ids = async (as: Credentials, apiKeyId?: string) => (await setup.api.run(LIST, { apiKeyId }, as)).data.webhookSubscriptions.map((s: { id: string }) => s.id);
    expect(await ids(partner())).toContain(mine.id);
    expect(await ids(partner())).not.toContain(theirs.id);
    expect(await ids(other.credentials)).toEqual([theirs.id]);
    expect(await ids(admin())).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(await ids(admin(), other.apiKeyId)).toEqual([theirs.id]);
    // Another partner's subscription is not there for it: not by ID, not its deliveries, not to delete or enable.
    const node = await setup.api.run(`query ($id: ID!) { node(id: $id) { id } }`, { id: mine.id }, other.credentials);
    expect(node.data.node).toBeNull();
    const deliveries = await setup.api.run(`query ($id: ID!) { webhookDeliveries(subscriptionId: $id) { nodes { id } totalCount } }`, { id: mine.id }, other.credentials);
    expect(deliveries.data.webhookDeliveries).toEqual({ nodes: [], totalCount: 0 });
    expect((await setup.api.run(DELETE, { input: { subscriptionId: mine.id } }, other.credentials)).data.deleteWebhookSubscription.userErrors).toEqual([
      { code: "NOT_FOUND", field: ["input", "subscriptionId"] },
    ]);
    expect((await setup.api.run(ENABLE, { input: { subscriptionId: mine.id } }, other.credentials)).data.enableWebhookSubscription.userErrors).toEqual([
      { code: "NOT_FOUND", field: ["input", "subscriptionId"] },
    ]);
    expect(await ids(partner())).toContain(mine.id);
  });

  it("deletes a subscription for its owner", async () => {
    const made = (await create({ url: PUBLIC_URL, events: ["ORDER_CHANGED"] }, partner())).data.createWebhookSubscription.subscription;
    const deleted = (await setup.api.run(DELETE, { input: { subscriptionId: made.id } }, partner())).data.deleteWebhookSubscription;
    expect(deleted).toEqual({ subscription: { id: made.id }, userErrors: [] });
    const listed = (await setup.api.run(LIST, {}, partner())).data.webhookSubscriptions.map((s: { id: string }) => s.id);
    expect(listed).not.toContain(made.id);
    const again = (await setup.api.run(DELETE, { input: { subscriptionId: made.id } }, partner())).data.deleteWebhookSubscription;
    expect(again.userErrors).toEqual([{ code: "NOT_FOUND", field: ["input", "subscriptionId"] }]);
  });

  it("answers enabling an enabled subscription with INVALID_TRANSITION", async () => {
    const made = (await create({ url: PUBLIC_URL, events: ["ORDER_CHANGED"] }, partner())).data.createWebhookSubscription.subscription;
    const result = (await setup.api.run(ENABLE, { input: { subscriptionId: made.id } }, partner())).data.enableWebhookSubscription;
    expect(result.userErrors).toEqual([{ code: "INVALID_TRANSITION", field: ["input", "subscriptionId"] }]);
  });
});

describe("the SSRF guard's address classes", () => {
  it.each([
    ["93.184.215.14", true],
    ["2606:4700:4700::1111", true],
    ["127.0.0.1", false],
    ["10.0.0.1", false],
    ["172.31.255.255", false],
    ["172.32.0.1", true],
    ["169.254.169.254", false],
    ["::1", false],
    ["::ffff:10.0.0.1", false],
    ["::ffff:7f00:1", false],
    ["::ffff:93.184.215.14", true],
    ["fe80::1", false],
    ["fc00::1", false],
    ["ff02::1", false],
    ["224.0.0.1", false],
    ["255.255.255.255", false],
    ["not-an-address", false],
  ])("%s is public: %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

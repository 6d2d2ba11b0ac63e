import { describe, expect, it } from "vitest";
import { WebhookSender } from "../src/modules/webhooks/index.js";
import { checkWebhookUrl } from "../src/modules/webhooks/webhook-address.js";
import { startReceiver } from "./support/webhooks.js";

/**
 * DNS rebinding: a host that resolves to a public address when the subscription is made and to
 * loopback later is refused at delivery, before any connection (the guard checks the address the
 * connection would use). The resolver is a stand-in for DNS; the receiver is real.
 */
describe("the SSRF guard at delivery time", () => {
  it("refuses a host whose name now resolves to loopback, and connects nowhere", async () => {
    const receiver = await startReceiver();
    const port = new URL(receiver.url).port;
    let answer = "93.184.215.14";
    const resolve = async () => [{ address: answer, family: 4 }];
    const rules = { allowPrivate: false };
    try {
      // At creation the name looked public.
      await expect(checkWebhookUrl(`https://hooks.partner.example:${port}/hook`, rules, resolve)).resolves.toBeInstanceOf(URL);
      answer = "127.0.0.1";
      const sender = new WebhookSender(rules, 2_000, resolve);
      const outcome = await sender.send({ url: `https://hooks.partner.example:${port}/hook`, body: "{}", headers: {} });
      sender.close();
      expect(outcome).toMatchObject({ ok: false, statusCode: null, error: "URL refused: resolves to an address that is not on the public internet" });
      // A mixed answer (one public, one private) is refused too.
      const mixed = new WebhookSender(rules, 2_000, async () => [{ address: "93.184.215.14", family: 4 }, { address: "10.0.0.7", family: 4 }]);
      expect((await mixed.send({ url: "https://hooks.partner.example/hook", body: "{}", headers: {} })).error).toMatch(/^URL refused/);
      mixed.close();
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it("refuses plain http and literal private addresses at delivery when private addresses are not allowed", async () => {
    const sender = new WebhookSender({ allowPrivate: false }, 2_000);
    expect((await sender.send({ url: "http://93.184.215.14/hook", body: "{}", headers: {} })).error).toBe("URL refused: must be an https URL");
    expect((await sender.send({ url: "https://[::ffff:169.254.169.254]/latest", body: "{}", headers: {} })).error).toMatch(/^URL refused/);
    sender.close();
  });
});

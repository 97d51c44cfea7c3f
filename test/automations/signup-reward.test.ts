import { Session } from "@shopify/shopify-api";
import { startHarness, type Harness } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { FakeAdminApi, creditUserErrors } from "../helpers/fake-admin-api";
import { configureShop, drain } from "../helpers/shop";
import { fixture, postWebhook } from "../helpers/webhooks";
import { AdminGraphql } from "../../src/shopify/admin-graphql";
import type { ButtonMessage } from "../../src/messages/schema";

const CUSTOMER = "8658316394796";
const CREDIT = { amount: "5", currency: "USD", expiresInDays: 30 };

describe("signup reward: store credit granted once and named in the welcome message, loyalty points named", () => {
  let h: Harness;
  let admin: FakeAdminApi;

  const storeSession = (scope = "write_discounts,write_store_credit_account_transactions") =>
    h.app.ctx.sessions.store(
      new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_offline", scope, expires: new Date(Date.now() + 3_600_000) }),
    );

  beforeEach(async () => {
    admin = new FakeAdminApi();
    await admin.listen();
    h = await startHarness({}, { background: false });
    h.app.ctx.admin = new AdminGraphql(h.app.ctx.shopify!, { sleep: async () => {} });
    await configureShop(h, { settings: { signupReward: { storeCredit: CREDIT, points: 150 } } });
    await storeSession();
    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: CUSTOMER }, new Date());
  });
  afterEach(async () => {
    await h.close();
    await admin.close();
  });

  const texts = () => h.standIn.messages.map((m) => (m.body.message as ButtonMessage).text);
  const event = () => h.app.ctx.db.webhookEvent.findFirstOrThrow({ orderBy: { receivedAt: "asc" } });
  const grant = () => h.app.ctx.db.storeCreditGrant.findUnique({ where: { shopDomain_customerId: { shopDomain: SHOP, customerId: CUSTOMER } } });
  /** The stored event handled again, as the processor does after a handler failed (state retry, due now). */
  const retryEvent = async () => {
    await h.app.ctx.db.webhookEvent.updateMany({ data: { state: "retry", runAt: new Date(Date.now() - 1000), lockedAt: null, lockedBy: null } });
    await drain(h);
  };

  it("grants the store credit through storeCreditAccountCredit, once, and the message names it and the points", async () => {
    const before = Date.now();
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);

    expect(admin.creditRequests).toHaveLength(1);
    const r = admin.creditRequests[0]!;
    expect(r.id).toBe(`gid://shopify/Customer/${CUSTOMER}`);
    expect(r.creditInput.creditAmount).toEqual({ amount: "5", currencyCode: "USD" });
    const expires = Date.parse(r.creditInput.expiresAt!);
    expect(expires).toBeGreaterThanOrEqual(before + 30 * 86_400_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);
    expect(admin.requests[0]!.accessToken).toBe("shpat_offline");
    expect(admin.credits).toHaveLength(1);

    expect(texts()).toEqual([
      "Welcome to Demo Store, Alan! Here is your welcome coupon: WELCOME10. You have earned 150 points in our loyalty programme. We added 5.00 USD of store credit to your account. Tap below to shop with it applied.",
    ]);
    expect(await grant()).toMatchObject({ state: "granted", transactionId: admin.credits[0]!.id, amount: "5", currency: "USD" });
    expect((await event()).note).toBeNull();
  });

  it("a customers/data_request report lists the store credit granted to the customer", async () => {
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    await postWebhook(h.url, JSON.stringify({ shop_domain: SHOP, customer: { id: Number(CUSTOMER) }, orders_requested: [] }), { topic: "customers/data_request" });
    await drain(h);
    const report = JSON.parse((await h.app.ctx.db.dataRequest.findFirstOrThrow()).report);
    expect(report.storeCredit).toEqual([
      expect.objectContaining({ amount: "5", currency: "USD", state: "granted", transactionId: admin.credits[0]!.id, expiresAt: expect.stringMatching(/^\d{4}-/) }),
    ]);
  });

  it("makes no second grant when the same event is retried or delivered again, and sends one message", async () => {
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    await retryEvent();
    // Shopify delivering the customer's creation again (another event id: stored as a new event).
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);

    expect(await h.app.ctx.db.webhookEvent.count({ where: { state: "processed" } })).toBe(2);
    expect(admin.creditRequests).toHaveLength(1);
    expect(admin.credits).toHaveLength(1);
    expect(h.standIn.messages).toHaveLength(1);
    expect(texts()[0]).toContain("5.00 USD of store credit");
  });

  it("asks no second time after a crash between Shopify's answer and its record, and says so", async () => {
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    // The process died after Shopify granted and before the grant was marked: the row is pending.
    const realMark = h.app.ctx.creditGrants.markGranted.bind(h.app.ctx.creditGrants);
    h.app.ctx.creditGrants.markGranted = async () => {
      throw new Error("process killed");
    };
    await h.app.processor!.runOnce();
    expect(admin.credits).toHaveLength(1);
    expect(await grant()).toMatchObject({ state: "pending" });
    h.app.ctx.creditGrants.markGranted = realMark;

    await retryEvent();
    expect(admin.creditRequests).toHaveLength(1);
    expect(texts()).toHaveLength(1);
    expect(texts()[0]).not.toContain("store credit");
    expect(texts()[0]).toContain("150 points");
    expect((await event()).note).toMatch(/earlier try.*never recorded.*not asked again.*names no store credit/);
  });

  it("does not ask again after an answer that may have granted it (HTTP 503), and leaves the row pending", async () => {
    admin.answerCredit({ status: 503 });
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    // Not retried within the call either: a 503 may come after Shopify did the work.
    expect(admin.creditRequests).toHaveLength(1);
    expect(await grant()).toMatchObject({ state: "pending" });
    expect(texts()[0]).not.toContain("store credit");
    expect((await event()).note).toMatch(/answer to the store credit grant was lost \(HTTP 503\).*check the customer's store credit/);
  });

  it("falls back to no credit, with the reason, when the shop has no offline token (not installed)", async () => {
    await h.app.ctx.sessions.deleteForShop(SHOP);
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    expect(admin.requests).toHaveLength(0);
    expect(texts()).toEqual([
      "Welcome to Demo Store, Alan! Here is your welcome coupon: WELCOME10. You have earned 150 points in our loyalty programme. Tap below to shop with it applied.",
    ]);
    expect((await event()).note).toMatch(/no offline token.*names no store credit/);
    expect(await grant()).toBeNull();
  });

  it("does not ask Shopify when the token lacks the scope, and names the scope in the note", async () => {
    await storeSession("write_discounts");
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    expect(admin.requests).toHaveLength(0);
    expect(texts()[0]).not.toContain("store credit");
    expect((await event()).note).toMatch(/write_store_credit_account_transactions access scope, not granted/);
  });

  it("falls back when Shopify denies access (scope revoked) or refuses the input; after a certain refusal a later try asks again", async () => {
    admin.scopes = ["write_discounts"];
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    expect(admin.creditRequests).toHaveLength(1);
    expect(admin.credits).toHaveLength(0);
    expect(texts()[0]).not.toContain("store credit");
    expect((await event()).note).toMatch(/refused.*Access denied for storeCreditAccountCredit.*names no store credit/);
    // A certain refusal leaves no grant behind: nothing was made.
    expect(await grant()).toBeNull();

    admin.answerCredit(
      creditUserErrors({ code: "UNSUPPORTED_CURRENCY", field: ["creditInput", "creditAmount", "currencyCode"], message: "The currency provided is not currently supported." }),
    );
    await retryEvent();
    expect(admin.creditRequests).toHaveLength(2);
    expect((await event()).note).toMatch(/currencyCode: The currency provided is not currently supported. \(UNSUPPORTED_CURRENCY\)/);
    expect(h.standIn.messages).toHaveLength(1);
  });

  it("reads well without any reward set, in English and Chinese", async () => {
    await h.app.ctx.shops.upsert(SHOP, { settings: { signupReward: {} } });
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    expect(admin.requests).toHaveLength(0);
    expect(texts()).toEqual(["Welcome to Demo Store, Alan! Here is your welcome coupon: WELCOME10. Tap below to shop with it applied."]);

    await h.app.ctx.shops.upsert(SHOP, { settings: { language: "zh", signupReward: { points: 80 } } });
    await h.app.ctx.links.link(SHOP, "uuid-bea", { customerId: "42" }, new Date());
    await postWebhook(h.url, fixture("customers-create.json").replace(CUSTOMER, "42"), { topic: "customers/create" });
    await drain(h);
    expect(texts()[1]).toBe("Alan，欢迎来到 Demo Store！这是您的欢迎优惠码：WELCOME10。您已获得 80 会员积分。点击下方按钮即可使用。");
  });
});

import { harnessPerTest, startHarness, type Harness } from "../helpers/app";
import { SHOP } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, postWebhook } from "../helpers/webhooks";
import { joinchatUuidOf, resolveRecipient, type RecipientRef } from "../../src/recipients/resolver";
import type { ShopRecord } from "../../src/store/shops";

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const ref = (r: Partial<RecipientRef>): RecipientRef => ({ customerId: null, email: null, phone: null, noteAttributes: null, ...r });
const cart = (uuid: unknown) => [
  { name: "gift_note", value: "hi" },
  { name: "joinchat_uuid", value: uuid },
];

describe("resolveRecipient", () => {
  let h: Harness;
  let shop: ShopRecord;
  beforeEach(async () => {
    h = await startHarness({}, { background: false });
    await configureShop(h);
    shop = (await h.app.ctx.shops.find(SHOP))!;
  });
  afterEach(() => h.close());
  const links = () => h.app.ctx.links;
  const resolve = (r: Partial<RecipientRef>) => resolveRecipient(h.app.ctx, shop, ref(r));

  it("uses the customer's own link first, before a cart attribute the storefront never linked", async () => {
    const at = minutesAgo(5);
    await links().link(SHOP, "customer-device", { customerId: "7" }, at);
    expect(await resolve({ customerId: "7", noteAttributes: cart("unlinked-cart-uuid") })).toEqual({
      recipient: { uuid: "customer-device" },
      windowOpenedAt: at,
      via: "customer link",
    });
  });

  it("the newest link wins: across devices, and across links known by id, email or phone", async () => {
    await links().link(SHOP, "old-phone", { customerId: "7" }, minutesAgo(60));
    await links().link(SHOP, "new-laptop", { customerId: "7" }, minutesAgo(30));
    expect((await resolve({ customerId: "7" })).recipient).toEqual({ uuid: "new-laptop" });
    await links().link(SHOP, "imported", { email: "Seven@Example.com" }, minutesAgo(10), "cli");
    expect((await resolve({ customerId: "7", email: "seven@example.com" })).recipient).toEqual({ uuid: "imported" });
    // A logged-in click on the old phone reopens its window and makes it the newest again.
    await links().link(SHOP, "old-phone", { customerId: "7" }, new Date());
    expect((await resolve({ customerId: "7", email: "seven@example.com" })).recipient).toEqual({ uuid: "old-phone" });
  });

  it("finds a customer's link by phone whatever its spacing, and leaves the link as the operator made it", async () => {
    await links().link(SHOP, "by-phone", { phone: "+852 1234-5678" }, minutesAgo(1), "cli");
    const r = await resolve({ customerId: "9", phone: "+85212345678" });
    expect(r.recipient).toEqual({ uuid: "by-phone" });
    expect((await links().find(SHOP, "by-phone"))!.customerId).toBeNull();
  });

  it("a guest order's joinchat_uuid resolves to that uuid, with the window its storefront link opened", async () => {
    const at = minutesAgo(3);
    await links().link(SHOP, "guest-uuid", {}, at);
    expect(await resolve({ noteAttributes: cart("guest-uuid") })).toEqual({ recipient: { uuid: "guest-uuid" }, windowOpenedAt: at, via: "cart attribute" });
  });

  it("a joinchat_uuid the storefront never linked still reaches the uuid, with no window (transactional messages only)", async () => {
    expect(await resolve({ email: "new@example.com", noteAttributes: cart("never-linked") })).toEqual({
      recipient: { uuid: "never-linked" },
      windowOpenedAt: null,
      via: "cart attribute",
    });
    expect(await links().find(SHOP, "never-linked")).toBeNull();
  });

  it("a cart uuid serves the event that carries it only: the link stays anonymous and the customer's next event does not find it", async () => {
    const at = minutesAgo(2);
    await links().link(SHOP, "anon", {}, at);
    const r = await resolve({ customerId: "603851970716743426", email: "Buyer@Example.com", noteAttributes: cart("anon") });
    expect(r).toEqual({ recipient: { uuid: "anon" }, windowOpenedAt: at, via: "cart attribute" });
    expect(await links().find(SHOP, "anon")).toEqual({ uuid: "anon", customerId: null, email: null, phone: null, linkedAt: at, source: "proxy", optInPage: null });
    expect((await resolve({ customerId: "603851970716743426" })).recipient).toBeNull();
    expect((await resolve({ email: "buyer@example.com" })).recipient).toBeNull();
  });

  it("does not send to a cart uuid linked to another customer (a shared device), and says why", async () => {
    await links().link(SHOP, "someone-elses", { customerId: "1" }, minutesAgo(1));
    const r = await resolve({ customerId: "2", noteAttributes: cart("someone-elses") });
    expect(r.recipient).toBeNull();
    expect("reason" in r && r.reason).toMatch(/linked to another customer/);
    expect((await links().find(SHOP, "someone-elses"))!.customerId).toBe("1");
  });

  it("ignores a joinchat_uuid cart attribute that is not a uuid (the browser writes it)", async () => {
    expect(joinchatUuidOf(cart("<img src=x>"))).toBeNull();
    expect(joinchatUuidOf(cart(12345))).toBeNull();
    expect(joinchatUuidOf(cart(" padded-uuid "))).toBe("padded-uuid");
    expect(joinchatUuidOf(null)).toBeNull();
    // Entries that are not objects (a signed payload may hold anything): skipped, not a crash.
    const odd = [null, 7, "x", { name: "joinchat_uuid", value: "after-odd-ones" }] as unknown as RecipientRef["noteAttributes"];
    expect(joinchatUuidOf(odd)).toBe("after-odd-ones");
    expect((await resolve({ noteAttributes: cart("../../etc") })).recipient).toBeNull();
  });

  it("falls back to email or phone recipients only where the shop opted in, else gives a reason", async () => {
    const r = { customerId: "9", email: "a@example.com", phone: "+85200000000" };
    const none = await resolve(r);
    expect(none.recipient).toBeNull();
    expect("reason" in none && none.reason).toBe("customer has no JoinChat link, it carries no joinchat_uuid, and email/phone recipients are off for this shop");
    shop = await h.app.ctx.shops.upsert(SHOP, { settings: { recipientOptIn: { email: false, phone: true } } });
    expect(await resolve(r)).toEqual({ recipient: { phone: "+85200000000" }, windowOpenedAt: null, via: "phone opt-in" });
    shop = await h.app.ctx.shops.upsert(SHOP, { settings: { recipientOptIn: { email: true, phone: true } } });
    expect(await resolve(r)).toEqual({ recipient: { email: "a@example.com" }, windowOpenedAt: null, via: "email opt-in" });
    const noContacts = await resolve({ customerId: "9" });
    expect("reason" in noContacts && noContacts.reason).toMatch(/no email or phone to fall back on/);
  });
});

describe("resolving through real webhooks", () => {
  const h = harnessPerTest({}, { background: false }, configureShop);

  it("a guest order (no customer, no email) with joinchat_uuid in note_attributes sends its receipt to that uuid", async () => {
    const order = editFixture("orders-create-2.json", (o) => {
      o.note_attributes = [{ name: "joinchat_uuid", value: "guest-cart-uuid" }];
    });
    // The uuid never opted in as far as the app knows: its window cannot be known, so the receipt
    // goes only where the shop chose to send past the window (with its tag); by default it is held.
    await h.app.ctx.shops.upsert(SHOP, { settings: { pastWindow: "send_tagged" } });
    expect((await postWebhook(h.url, order, { topic: "orders/create" })).status).toBe(200);
    await drain(h);
    expect(h.standIn.messages.map((m) => [m.body.recipient, m.body.message.template_type, m.body.tag])).toEqual([[{ uuid: "guest-cart-uuid" }, "receipt", "POST_PURCHASE_UPDATE"]]);
  });

  it("a checkout's recalls go to its cart uuid inside the window the storefront opened, and the uuid is not bound to the checkout's customer", async () => {
    await h.app.ctx.links.link(SHOP, "checkout-uuid", {}, new Date());
    const checkout = editFixture("checkouts-create.json", (c) => {
      c.note_attributes = [{ name: "joinchat_uuid", value: "checkout-uuid" }];
    });
    await postWebhook(h.url, checkout, { topic: "checkouts/create" });
    while ((await h.app.processor!.runOnce()) > 0);
    expect((await h.app.ctx.links.find(SHOP, "checkout-uuid"))!.customerId).toBeNull();
    const scheduled = await h.app.ctx.db.delivery.findMany({ where: { automation: "abandoned" } });
    expect(scheduled.length).toBeGreaterThan(0);
    expect(scheduled.every((d) => JSON.parse(d.recipient).uuid === "checkout-uuid" && d.windowOpenedAt !== null)).toBe(true);
  });

  it("an order without a link, cart uuid or opt-in records the reason on the event", async () => {
    await postWebhook(
      h.url,
      editFixture("orders-create-2.json", () => {}),
      { topic: "orders/create" },
    );
    await drain(h);
    const [event] = await h.app.ctx.db.webhookEvent.findMany();
    expect(event!.state).toBe("skipped");
    expect(event!.note).toMatch(/no recipient: customer has no JoinChat link/);
    expect(h.standIn.messages).toEqual([]);
  });
});

import { harnessPerTest } from "../helpers/app";
import { PAGE, SHOP } from "../helpers/deliveries";
import { adminClient } from "../helpers/admin";
import { configureShop, drain } from "../helpers/shop";
import { fixture, postWebhook } from "../helpers/webhooks";
import { wireBody } from "../../src/messages/wire";
import type { ButtonMessage, GenericMessage } from "../../src/messages/schema";

describe("bot buttons and the signup reward in the admin", () => {
  const h = harnessPerTest({}, { background: false }, configureShop);

  it("saves a block button on the welcome message, which a real send carries through the stand-in", async () => {
    const api = adminClient(h);
    const r = await api("PUT", "/admin/api/settings", {
      botButtons: { welcome: { title: "Talk to us", start: "block", id: 12 }, shipping: { title: "Track my order", start: "flow", id: 3 } },
    });
    expect(r.status).toBe(200);
    expect(r.body.settings.botButtons).toEqual({ welcome: { title: "Talk to us", start: "block", id: 12 }, shipping: { title: "Track my order", start: "flow", id: 3 } });

    await h.app.ctx.links.link(SHOP, "uuid-alan", { customerId: "8658316394796" }, new Date());
    await postWebhook(h.url, fixture("customers-create.json"), { topic: "customers/create" });
    await drain(h);
    // Accepted by the stand-in's own reading of JoinChat's page, over loopback, signed.
    expect(h.standIn.messages).toHaveLength(1);
    const m = h.standIn.messages[0]!.body.message as ButtonMessage;
    expect(m.buttons).toEqual([
      { type: "web_url", title: "Shop with coupon", url: `https://${SHOP}/discount/WELCOME10` },
      { type: "postback", title: "Talk to us", payload: '{"block_id":12}' },
    ]);
    expect(h.standIn.messages[0]!.raw).toContain('"payload":"{\\"block_id\\":12}"');
    expect((await h.app.ctx.db.delivery.findFirstOrThrow()).state).toBe("sent");

    const removed = await api("PUT", "/admin/api/settings", { botButtons: { welcome: null } });
    expect(removed.body.settings.botButtons).toEqual({ shipping: { title: "Track my order", start: "flow", id: 3 } });
  });

  it.each([
    [{ welcome: { title: "Talk to us", start: "block", id: 0 } }, "botButtons.welcome.id", /positive whole number: the block's or flow's id in JoinChat/],
    [{ welcome: { title: "Talk to us", start: "block", id: 2.5 } }, "botButtons.welcome.id", /whole number/],
    [{ abandoned: { title: "Talk to us", start: "block", id: "12" } }, "botButtons.abandoned.id", /must be a number/],
    [{ shipping: { title: "Track my order, please", start: "flow", id: 3 } }, "botButtons.shipping.title", /at most 20 characters/],
    [{ welcome: { title: "  ", start: "block", id: 3 } }, "botButtons.welcome.title", /must not be empty/],
    [{ welcome: { title: "Go", start: "menu", id: 3 } }, "botButtons.welcome.start", /block|flow/],
    [{ receipt: { title: "Talk to us", start: "block", id: 3 } }, "botButtons.receipt", /receipt cannot carry a button: JoinChat's receipt template has none/],
  ])("refuses a bad bot button with the field at fault, saving nothing (%j)", async (botButtons, field, message) => {
    const before = JSON.stringify(await h.app.ctx.shops.find(SHOP));
    const r = await adminClient(h)("PUT", "/admin/api/settings", { botButtons });
    expect([r.status, r.body.field]).toEqual([400, field]);
    expect(r.body.error).toMatch(message);
    expect(JSON.stringify(await h.app.ctx.shops.find(SHOP))).toBe(before);
  });

  it("saves points and store credit, refusing a currency that is not ISO 4217 and more decimals than the currency has", async () => {
    const api = adminClient(h);
    const bad1 = await api("PUT", "/admin/api/settings", { signupReward: { storeCredit: { amount: "5", currency: "XYZ" } } });
    expect([bad1.status, bad1.body.field]).toEqual([400, "signupReward.storeCredit.currency"]);
    const bad2 = await api("PUT", "/admin/api/settings", { signupReward: { storeCredit: { amount: "500.5", currency: "JPY" } } });
    expect([bad2.status, bad2.body.field]).toEqual([400, "signupReward.storeCredit.amount"]);
    const bad3 = await api("PUT", "/admin/api/settings", { signupReward: { storeCredit: { amount: "0", currency: "USD" } } });
    expect([bad3.status, bad3.body.field, bad3.body.error]).toEqual([400, "signupReward.storeCredit.amount", "must be more than 0"]);
    const bad4 = await api("PUT", "/admin/api/settings", { signupReward: { points: -5 } });
    expect([bad4.status, bad4.body.field]).toEqual([400, "signupReward.points"]);

    const ok = await api("PUT", "/admin/api/settings", { signupReward: { points: 200, storeCredit: { amount: "10.00", currency: "EUR", expiresInDays: 90 } } });
    expect(ok.body.settings.signupReward).toEqual({ points: 200, storeCredit: { amount: "10.00", currency: "EUR", expiresInDays: 90 } });
    const cleared = await api("PUT", "/admin/api/settings", { signupReward: { storeCredit: null } });
    expect(cleared.body.settings.signupReward).toEqual({ points: 200 });
  });

  it("previews the reward phrases and the bot buttons, with buttons counted against the limit", async () => {
    const api = adminClient(h);
    let p = await api("POST", "/admin/api/preview", { automation: "welcome" });
    // Nothing set: the message as sent, and the reward shown as an alternative to see what it would read.
    expect((p.body.message as ButtonMessage).text).toBe("Welcome to Demo Store, Alan! Here is your welcome coupon: WELCOME10. Tap below to shop with it applied.");
    expect(p.body.alternatives[0].message.text).toContain("You have earned 100 points in our loyalty programme. We added 5.00 USD of store credit to your account.");
    // Counted with the most points the settings allow, as saving checks it.
    expect(p.body.fields).toContainEqual({ key: "welcome.points", length: "You have earned 100000000 points in our loyalty programme.".length, limit: 640, problem: null });

    await api("PUT", "/admin/api/settings", {
      signupReward: { points: 300, storeCredit: { amount: "7.5", currency: "USD" } },
      botButtons: {
        welcome: { title: "Talk to us", start: "block", id: 12 },
        abandoned: { title: "Ask a question", start: "flow", id: 9 },
        shipping: { title: "Track my order", start: "flow", id: 3 },
      },
    });
    p = await api("POST", "/admin/api/preview", { automation: "welcome", templates: { "welcome.points": "Plus {{points}} points!" } });
    const welcome = p.body.message as ButtonMessage;
    expect(welcome.text).toBe(
      "Welcome to Demo Store, Alan! Here is your welcome coupon: WELCOME10. Plus 300 points! We added 7.50 USD of store credit to your account. Tap below to shop with it applied.",
    );
    expect(welcome.buttons[1]).toEqual({ type: "postback", title: "Talk to us", payload: '{"block_id":12}' });
    expect(p.body.buttons).toEqual({ used: 2, limit: 3 });
    expect(p.body.alternatives).toEqual([]);

    p = await api("POST", "/admin/api/preview", { automation: "shipping" });
    expect((p.body.message as ButtonMessage).buttons.map((b) => b.title)).toEqual(["Track package", "Track my order"]);
    p = await api("POST", "/admin/api/preview", { automation: "abandoned" });
    expect((p.body.message as ButtonMessage).buttons[1]).toEqual({ type: "postback", title: "Ask a question", payload: '{"flow_id":9}' });
    const carousel = p.body.alternatives[0].message as GenericMessage;
    for (const e of carousel.elements) expect(e.buttons![1]).toEqual({ type: "postback", title: "Ask a question", payload: '{"flow_id":9}' });
    for (const automation of ["welcome", "abandoned", "receipt", "shipping"]) {
      const q = await api("POST", "/admin/api/preview", { automation });
      expect(() => wireBody({ page_id: PAGE, recipient: { uuid: "u" }, message: q.body.message })).not.toThrow();
    }
  });

  it("refuses an unknown placeholder in the reward phrases and accepts {{points}} and {{store_credit}} in the welcome text", async () => {
    const api = adminClient(h);
    const bad = await api("PUT", "/admin/api/templates", { templates: { "welcome.points": "You got {{store_credit}}" } });
    expect([bad.status, bad.body.field]).toEqual([400, "templates.welcome.points"]);
    const ok = await api("PUT", "/admin/api/templates", { templates: { "welcome.text": "Hi {{first_name}}: {{coupon_code}}, {{points}} points, {{store_credit}}" } });
    expect(ok.status).toBe(200);
  });
});

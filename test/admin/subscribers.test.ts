import { Session } from "@shopify/shopify-api";
import { harnessPerTest } from "../helpers/app";
import { TestClock } from "../helpers/clock";
import { PAGE, SHOP } from "../helpers/deliveries";
import { adminClient } from "../helpers/admin";
import { configureShop, drain } from "../helpers/shop";
import { signedProxyQuery, nowSeconds } from "../helpers/proxy";
import { signSessionToken } from "../../src/shopify/session-token";
import { csvCell } from "../../src/csv";
import { MESSAGING_WINDOW_MS } from "../../src/policy/send-decision";

const OTHER = "other-store.myshopify.com";
const HOUR = 3600_000;

describe("a CSV cell", () => {
  it("quotes what holds a quote, comma or line break, doubling quotes, and disarms what a spreadsheet would run", () => {
    expect(["plain", 'say "hi"', "a,b", "two\nlines", null, 3, true].map(csvCell)).toEqual(["plain", '"say ""hi"""', '"a,b"', '"two\nlines"', "", "3", "true"]);
    expect(["=1+1", "+852 1234", "-2", "@SUM(A1)", "\tx", "\rx"].map(csvCell)).toEqual(["'=1+1", "'+852 1234", "'-2", "'@SUM(A1)", "'\tx", '"\'\rx"']);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  });
});

describe("the admin's Subscribers (a real SQLite file)", () => {
  let clock: TestClock;
  const h = harnessPerTest({}, () => ({ background: false, clock: (clock = new TestClock(Date.UTC(2026, 11, 6, 12))) }), configureShop);
  const ago = (hours: number) => new Date(clock.now().getTime() - hours * HOUR);

  /** Three subscribers of the shop and one of another, with messages queued for two of them. */
  async function seed() {
    const { links, deliveries } = h.app.ctx;
    await links.link(SHOP, "jc_old-buyer", { customerId: "1001", email: "Buyer@Example.com" }, ago(30), "proxy", "/products/mug");
    await links.link(SHOP, "jc_cart-visitor", {}, ago(2), "proxy", "/cart");
    await links.link(SHOP, "-cmd-calc", { email: '=1+1,"x"@example.com' }, ago(1), "cli");
    await links.link(OTHER, "jc_elsewhere", { email: "buyer@example.com" }, ago(1), "proxy", "/");
    const queue = (uuid: string, key: string, automation: "receipt" | "shipping") =>
      deliveries.scheduleNow(SHOP, {
        key,
        automation,
        recipient: { uuid },
        customerId: null,
        message: { template_type: "text", text: key },
        promotional: false,
        windowOpenedAt: ago(2),
        subjectKey: null,
        runAt: clock.now(),
      });
    await queue("jc_cart-visitor", "receipt:1", "receipt");
    await queue("jc_cart-visitor", "shipping:1", "shipping");
    await queue("jc_old-buyer", "receipt:2", "receipt");
    await drain(h);
    // One of them refused: queued, not sent.
    await h.app.ctx.db.delivery.update({ where: { key: "receipt:2" }, data: { state: "failed" } });
  }

  it("lists the shop's subscribers latest opt-in first, each with where, its window by the one rule, and its messages; none of another shop", async () => {
    await seed();
    const api = adminClient(h);
    const r = await api("GET", "/admin/api/subscribers");
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(3);
    expect(r.body.subscribers.map((s: { uuid: string }) => s.uuid)).toEqual(["-cmd-calc", "jc_cart-visitor", "jc_old-buyer"]);
    const [, visitor, buyer] = r.body.subscribers;
    expect(visitor).toEqual({
      uuid: "jc_cart-visitor",
      customerId: null,
      email: null,
      phone: null,
      source: "proxy",
      firstOptInAt: ago(2).toISOString(),
      lastOptInAt: ago(2).toISOString(),
      optInPage: "/cart",
      windowOpen: true,
      windowClosesAt: new Date(ago(2).getTime() + MESSAGING_WINDOW_MS).toISOString(),
      messages: { total: 2, sent: 2, automations: ["receipt", "shipping"] },
    });
    // 30 hours since the click: the window closed 6 hours ago.
    expect(buyer).toMatchObject({
      customerId: "1001",
      email: "buyer@example.com",
      optInPage: "/products/mug",
      windowOpen: false,
      windowClosesAt: null,
      messages: { total: 1, sent: 0, automations: [] },
    });

    // The window's edge is isWindowOpen's: open a moment before 24 hours, closed at 24 hours.
    clock.advanceMinutes(22 * 60 - 1);
    expect((await api("GET", "/admin/api/subscribers?search=cart-visitor")).body.subscribers[0].windowOpen).toBe(true);
    clock.advanceMinutes(1);
    expect((await api("GET", "/admin/api/subscribers?search=cart-visitor")).body.subscribers[0].windowOpen).toBe(false);
  });

  it("pages and searches by email, customer id or uuid, and refuses a bad page", async () => {
    await seed();
    const api = adminClient(h);
    const uuids = async (q: string) => {
      const r = await api("GET", `/admin/api/subscribers?${q}`);
      return [r.body.subscribers.map((s: { uuid: string }) => s.uuid), r.body.total];
    };
    expect(await uuids("limit=2&offset=1")).toEqual([["jc_cart-visitor", "jc_old-buyer"], 3]);
    expect(await uuids("limit=2&offset=2")).toEqual([["jc_old-buyer"], 3]);
    expect(await uuids("search=BUYER%40example")).toEqual([["jc_old-buyer"], 1]);
    expect(await uuids("search=1001")).toEqual([["jc_old-buyer"], 1]);
    expect(await uuids("search=visitor")).toEqual([["jc_cart-visitor"], 1]);
    expect(await uuids("search=elsewhere")).toEqual([[], 0]);
    expect((await api("GET", "/admin/api/subscribers?limit=0")).status).toBe(400);
    expect((await api("GET", "/admin/api/subscribers?offset=-1")).status).toBe(400);
  });

  it("lists which messages one subscriber got, newest first; another shop's uuid is no subscriber", async () => {
    await seed();
    const api = adminClient(h);
    const r = await api("GET", "/admin/api/subscribers/jc_cart-visitor/messages");
    expect(r.status).toBe(200);
    expect(r.body.messages.map((m: { automation: string; state: string }) => [m.automation, m.state]).sort()).toEqual([
      ["receipt", "sent"],
      ["shipping", "sent"],
    ]);
    expect((await api("GET", "/admin/api/subscribers/jc_elsewhere/messages")).status).toBe(404);
    expect((await api("GET", "/admin/api/subscribers/bad%20uuid/messages")).status).toBe(400);
  });

  it("removes one as the shopper's own unlink does: the link goes, its messages stay in the log; not another shop's", async () => {
    await seed();
    const api = adminClient(h);
    const r = await api("DELETE", "/admin/api/subscribers/jc_cart-visitor");
    expect([r.status, r.body]).toEqual([200, { ok: true, removed: true }]);
    expect(await h.app.ctx.links.find(SHOP, "jc_cart-visitor")).toBeNull();
    expect((await api("GET", "/admin/api/subscribers")).body.total).toBe(2);
    expect(await h.app.ctx.db.delivery.count({ where: { recipientKey: `${SHOP}|uuid:jc_cart-visitor` } })).toBe(2);
    expect((await api("DELETE", "/admin/api/subscribers/jc_cart-visitor")).status).toBe(404);
    expect((await api("DELETE", "/admin/api/subscribers/jc_elsewhere")).status).toBe(404);
    expect(await h.app.ctx.links.find(OTHER, "jc_elsewhere")).not.toBeNull();

    // The storefront's unlink of another leaves the same state behind.
    const res = await fetch(`${h.url}/proxy/link?${signedProxyQuery({ shop: SHOP, timestamp: nowSeconds(), path_prefix: "/apps/joinchat" })}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ uuid: "jc_old-buyer", action: "unlink" }),
    });
    expect(await res.json()).toEqual({ ok: true, unlinked: true });
    expect(await h.app.ctx.links.find(SHOP, "jc_old-buyer")).toBeNull();
    expect((await api("GET", "/admin/api/subscribers")).body.subscribers.map((s: { uuid: string }) => s.uuid)).toEqual(["-cmd-calc"]);
  });

  it("exports them as CSV (text/csv), escaped, with a formula a visitor could plant disarmed; searched as the list is", async () => {
    await seed();
    const token = signSessionToken(h.app.ctx.config, SHOP, 600);
    const get = (q = "") => fetch(`${h.url}/admin/api/subscribers.csv${q}`, { headers: { authorization: `Bearer ${token}` } });
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="subscribers-2026-12-06.csv"');
    const lines = (await res.text()).split("\r\n");
    expect(lines).toEqual([
      "uuid,customer_id,email,phone,source,first_opt_in,last_opt_in,opt_in_page,window_open,messages_sent,messages_total",
      `'-cmd-calc,,"'=1+1,""x""@example.com",,cli,${ago(1).toISOString()},${ago(1).toISOString()},,true,0,0`,
      `jc_cart-visitor,,,,proxy,${ago(2).toISOString()},${ago(2).toISOString()},/cart,true,2,2`,
      `jc_old-buyer,1001,buyer@example.com,,proxy,${ago(30).toISOString()},${ago(30).toISOString()},/products/mug,false,0,1`,
      "",
    ]);
    expect((await (await get("?search=mug-none")).text()).split("\r\n")).toHaveLength(2);
    expect((await (await get("?search=1001")).text()).split("\r\n")[1]).toMatch(/^jc_old-buyer,/);
    expect((await fetch(`${h.url}/admin/api/subscribers.csv`)).status).toBe(401);
  });

  it("sends a test only to a subscriber: a uuid the shop never heard of is refused, naming the field", async () => {
    await seed();
    const api = adminClient(h);
    const refused = await api("POST", "/admin/api/test-message", { uuid: "jc_made-up", text: "hi" });
    expect([refused.status, refused.body.field]).toEqual([400, "uuid"]);
    expect(refused.body.error).toMatch(/pick one of your subscribers/);
    expect((await api("POST", "/admin/api/test-message", { uuid: "jc_elsewhere", text: "hi" })).status).toBe(400);
    const sent = await api("POST", "/admin/api/test-message", { uuid: "jc_cart-visitor", text: "Hello" });
    expect(sent.status).toBe(202);
    await drain(h);
    expect(h.standIn.messages.at(-1)!.body).toEqual({ page_id: PAGE, recipient: { uuid: "jc_cart-visitor" }, message: { template_type: "text", text: "Hello" } });
  });
});

describe("the setup checklist tells the truth", () => {
  let clock: TestClock;
  const h = harnessPerTest({}, () => ({ background: false, clock: (clock = new TestClock(Date.UTC(2026, 11, 6, 12))) }));
  const items = async () => (await adminClient(h)("GET", "/admin/api/setup")).body.items as { id: string; done: boolean | null; confirmable?: boolean; confirmed?: boolean }[];
  const states = async () => Object.fromEntries((await items()).map((i) => [i.id, i.done]));

  it("a fresh shop: nothing done, the steps the app cannot see not confirmed", async () => {
    expect(await states()).toEqual({
      installed: false,
      joinchat: false,
      "test-message": false,
      sdk: false,
      embed: null,
      "plugin-block": null,
      "opt-in": false,
      coupon: false,
      allowlist: null,
    });
  });

  it("each step turns done from the real state; the merchant's word counts only for what the app cannot see, and can be taken back", async () => {
    const api = adminClient(h);
    await configureShop(h, { settings: { sdkUrl: "https://joinchat.ai/js/analytics/sdk/p1.js" } });
    await h.app.ctx.shops.markInstalled(SHOP, clock.now());
    expect((await states()).installed).toBe(false);
    await h.app.ctx.sessions.store(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "s", isOnline: false, accessToken: "shpat_x" }));
    // A storefront click: the first opt-in, which proves the app embed on too.
    await h.app.ctx.links.link(SHOP, "jc_me", {}, clock.now(), "proxy", "/cart");
    await api("POST", "/admin/api/test-message", { uuid: "jc_me", text: "test" });
    await drain(h);
    expect(await states()).toEqual({
      installed: true,
      joinchat: true,
      "test-message": true,
      sdk: true,
      embed: true,
      "plugin-block": null,
      "opt-in": true,
      coupon: true,
      allowlist: null,
    });

    expect((await api("POST", "/admin/api/setup/confirm", { id: "coupon", confirmed: true })).status).toBe(400);
    expect((await api("POST", "/admin/api/setup/confirm", { id: "plugin-block", confirmed: true })).status).toBe(200);
    const confirmed = await api("POST", "/admin/api/setup/confirm", { id: "allowlist", confirmed: true });
    expect(confirmed.body.items.every((i: { done: boolean | null }) => i.done === true)).toBe(true);
    expect(confirmed.body.items.find((i: { id: string }) => i.id === "allowlist")).toMatchObject({ confirmable: true, confirmed: true });
    // The embed was seen, not taken on anyone's word: nothing to confirm there.
    expect(confirmed.body.items.find((i: { id: string }) => i.id === "embed")).toMatchObject({ done: true, confirmable: false });

    const undone = await api("POST", "/admin/api/setup/confirm", { id: "allowlist", confirmed: false });
    expect(undone.body.items.find((i: { id: string }) => i.id === "allowlist").done).toBeNull();
  });
});

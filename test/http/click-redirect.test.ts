import { harnessPerTest, TEST_SHOPIFY_SECRET, type Harness } from "../helpers/app";
import { configureShop, drain } from "../helpers/shop";
import { clickToken } from "../../src/messages/click-token";
import { seedButtonMessage } from "../helpers/clicks";

const TARGET = "https://demo-store.myshopify.com/discount/WELCOME10?redirect=%2Fcollections%2Fall";

const seed = (h: Harness, state?: string) => seedButtonMessage(h.app.ctx.db, TARGET, state);

const get = (h: Harness, path: string) => fetch(`${h.url}${path}`, { redirect: "manual" });

describe("GET /c/<token>: a message button's tracked link", () => {
  const h = harnessPerTest({}, { background: false }, (h) =>
    configureShop(h, { settings: { results: { attribution: "click", windowDays: 7, holdoutPercent: 0, trackClicks: true } } }),
  );

  it("sends the button through the app's signed redirect, which counts the click and leads to the message's own target", async () => {
    const row = await seed(h);
    await drain(h);
    const sent = h.standIn.messages[0]!.body as { message: { buttons: { url: string }[] } };
    const url = new URL(sent.message.buttons[0]!.url);
    // One domain for JoinChat's allow-list: the app's own; the token is short and names no target.
    expect(url.origin).toBe("https://app.example.com");
    expect(url.pathname).toMatch(/^\/c\/[A-Za-z0-9_-]+\.0\.[A-Za-z0-9_-]{22}$/);
    expect(url.href.length).toBeLessThan(90);
    expect(url.href).not.toContain("discount");

    const res = await get(h, url.pathname);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(TARGET);
    expect(res.headers.get("cache-control")).toBe("no-store");
    await get(h, url.pathname);
    const clicks = await h.app.ctx.db.messageClick.findMany({ select: { deliveryId: true, automation: true, link: true, customerId: true } });
    expect(clicks).toEqual([
      { deliveryId: row.id, automation: "welcome", link: 0, customerId: "7" },
      { deliveryId: row.id, automation: "welcome", link: 0, customerId: "7" },
    ]);
  });

  it("refuses a tampered token (another message, another link or a changed signature) and counts nothing", async () => {
    const row = await seed(h, "sent");
    const token = clickToken(TEST_SHOPIFY_SECRET, row.id, 0);
    const [id, , signature] = token.split(".") as [string, string, string];
    const flipped = signature.slice(0, -1) + (signature.endsWith("A") ? "B" : "A");
    for (const forged of [`${id}.1.${signature}`, `${id}x.0.${signature}`, `${id}.0.${flipped}`, clickToken("another-secret", row.id, 0), "https%3A%2F%2Fevil.example", "x"]) {
      const res = await get(h, `/c/${forged}`);
      expect([forged, res.status, res.headers.get("location")]).toEqual([forged, 400, null]);
    }
    expect(await h.app.ctx.db.messageClick.count()).toBe(0);
  });

  it("answers 404 to a signed token whose message is unknown, not sent, or has no such link, counting nothing", async () => {
    const scheduled = await seed(h, "scheduled");
    for (const token of [clickToken(TEST_SHOPIFY_SECRET, "c-no-such-message", 0), clickToken(TEST_SHOPIFY_SECRET, scheduled.id, 0)]) {
      const res = await get(h, `/c/${token}`);
      expect([res.status, res.headers.get("location")]).toEqual([404, null]);
    }
    await h.app.ctx.db.delivery.update({ where: { id: scheduled.id }, data: { state: "sent" } });
    expect((await get(h, `/c/${clickToken(TEST_SHOPIFY_SECRET, scheduled.id, 1)}`)).status).toBe(404);
    expect((await get(h, `/c/${clickToken(TEST_SHOPIFY_SECRET, scheduled.id, 0)}`)).status).toBe(302);
    expect(await h.app.ctx.db.messageClick.count()).toBe(1);
  });
});

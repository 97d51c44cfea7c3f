import type { Harness } from "./app";
import { JOINCHAT_SECRET, PAGE, SHOP } from "./deliveries";
import type { ShopSettingsChange } from "../../src/store/shops";

/** Gives the harness's shop JoinChat settings and registers its page on the stand-in. */
export async function configureShop(h: Harness, change: ShopSettingsChange = {}): Promise<void> {
  h.standIn.addPage(PAGE, JOINCHAT_SECRET);
  await h.app.ctx.shops.upsert(SHOP, { pageId: PAGE, joinchatSecret: JOINCHAT_SECRET, couponCode: "WELCOME10", ...change });
}

/** Processes every stored event, then sends everything due, by hand (the harness runs no loops). */
export async function drain(h: Harness): Promise<void> {
  while ((await h.app.processor!.runOnce()) > 0);
  while ((await h.app.worker!.runOnce()) > 0);
}

/** drain(), and again after each backed-off event's retry time until none waits (tests set EVENT_RETRY_BASE_MS low). */
export async function drainRetries(h: Harness): Promise<void> {
  await drain(h);
  for (;;) {
    const waiting = await h.app.ctx.db.webhookEvent.findFirst({ where: { state: "retry" }, orderBy: { runAt: "asc" } });
    if (!waiting) return;
    await new Promise((r) => setTimeout(r, Math.max(0, waiting.runAt!.getTime() - h.app.ctx.clock.now().getTime()) + 5));
    await drain(h);
  }
}

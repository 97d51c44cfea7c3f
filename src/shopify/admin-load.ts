import type { AppContext } from "../context";
import { removeShopWebhooks } from "./shop-webhooks";
import { readShopTimeZone } from "./shop-time-zone";
import { isTimeZone } from "../store/local-days";

/**
 * What a verified admin request from Shopify admin sets up for its shop before it is served: the
 * offline token (token exchange on the first load after an install or reinstall), then, once per
 * shop, its time zone (Results count days in it) and the removal of the shop-specific webhook
 * subscriptions an older version registered. Their failure is logged and tried again at the next
 * load: it must not keep the merchant out.
 */
export async function prepareShop(ctx: AppContext, shop: string, sessionToken: string): Promise<void> {
  if (!ctx.tokens || !ctx.admin) return;
  await ctx.tokens.ensureInstalled(shop, sessionToken);
  await recordTimeZone(ctx, shop);
  if (!(await ctx.shops.hasShopWebhooksToRemove(shop))) return;
  try {
    const session = await ctx.tokens.forShop(shop);
    if (!session) return;
    const removed = await removeShopWebhooks(ctx.admin, session);
    await ctx.shops.markShopWebhooksRemoved(shop, ctx.clock.now());
    if (removed > 0) ctx.log.info({ shop, removed }, "shop-specific webhook subscriptions removed: the app-specific ones in shopify.app.toml deliver every topic");
  } catch (err) {
    ctx.log.warn({ shop, err: (err as Error).message }, "shop-specific webhook subscriptions not removed yet: will try at the next admin load");
  }
}

/** The shop's time zone, read once (while none is stored); Results count in UTC until it is. */
async function recordTimeZone(ctx: AppContext, shop: string): Promise<void> {
  if (!ctx.admin || (await ctx.shops.timeZone(shop)) !== null) return;
  try {
    const session = await ctx.tokens?.forShop(shop);
    if (!session) return;
    const zone = await readShopTimeZone(ctx.admin, session);
    if (isTimeZone(zone)) await ctx.shops.setTimeZone(shop, zone);
    else ctx.log.warn({ shop, zone }, "the shop's time zone is not one this Node knows: Results count in UTC");
  } catch (err) {
    ctx.log.warn({ shop, err: (err as Error).message }, "the shop's time zone not read yet: will try at the next admin load");
  }
}

import type { ConfirmableStep, PromotionStatusView, SetupItem } from "../admin-views";
import type { AppContext } from "../context";
import type { ShopRecord } from "../store/shops";
import { pauseWindowStart, promotionPause } from "../policy/promotion-pause";

/** Whether the shop's promotions are paused now, with the figures and the rule (the worker decides the same way at send time). */
export async function promotionStatus(ctx: AppContext, shop: ShopRecord): Promise<PromotionStatusView> {
  const since = pauseWindowStart(ctx.clock.now(), shop.settings.promotionsResumedAt);
  const answers = await ctx.deliveries.promotionAnswers(shop.domain, since);
  return { ...promotionPause(answers, shop.settings.promotionPause), enabled: shop.settings.promotionPause, resumedAt: shop.settings.promotionsResumedAt ?? null };
}

/** The theme editor with the app embed (blocks/app-embed.liquid) ready to turn on: Shopify's deep link. */
export function themeEditorUrl(shopDomain: string, apiKey: string | undefined): string {
  const base = `https://${shopDomain}/admin/themes/current/editor?context=apps`;
  return apiKey ? `${base}&activateAppId=${encodeURIComponent(apiKey)}/app-embed` : base;
}

/** The app block (extensions/joinchat-embed/blocks/messenger-plugin.liquid): its handle is its file name. */
export const APP_BLOCK_HANDLE = "messenger-plugin";

/**
 * The theme editor on `template` (the cart page by default) with the app block being added there in
 * a new Apps section: Shopify's deep link for app blocks (addAppBlockId = client id / block handle).
 */
export function addAppBlockUrl(shopDomain: string, apiKey: string | undefined, template = "cart"): string {
  const base = `https://${shopDomain}/admin/themes/current/editor?template=${encodeURIComponent(template)}`;
  return apiKey ? `${base}&addAppBlockId=${encodeURIComponent(apiKey)}/${APP_BLOCK_HANDLE}&target=newAppsSection` : base;
}

/** What a scope the app may still lack does for the merchant, in their words. */
const SCOPE_PURPOSE: Record<string, string> = {
  write_app_proxy: "the Send to Messenger button's link to the app",
  write_store_credit_account_transactions: "the welcome message's store credit",
  write_discounts: "single-use welcome codes",
};

/**
 * The scopes the app's configuration requires that the shop has not granted: a scope added to
 * shopify.app.toml after the shop installed (write_app_proxy was) until the merchant approves it.
 * A write_ scope granted covers its read_ scope. Null when the granted scopes are not known.
 */
export function scopesToApprove(required: string, granted: string[] | null): string[] | null {
  if (!granted) return null;
  const has = new Set(granted);
  return required
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s && !has.has(s) && !(s.startsWith("read_") && has.has(`write_${s.slice(5)}`)));
}

/** The item that asks the merchant to approve the scopes the shop lacks; only while it lacks some. */
function scopesItem(ctx: AppContext, shop: ShopRecord, missing: string[] | null): SetupItem[] {
  if (!missing || missing.length === 0) return [];
  const what = missing.map((s) => (SCOPE_PURPOSE[s] ? `${s} (${SCOPE_PURPOSE[s]})` : s)).join(", ");
  const legacy = ctx.config.SHOPIFY_LEGACY_OAUTH;
  return [
    {
      id: "scopes",
      title: "Approve the app's new permissions",
      done: false,
      detail: legacy
        ? `The app now needs ${what}, which this store has not granted yet. Approve it on Shopify's permission screen.`
        : `The app now needs ${what}, which this store has not granted yet. Shopify asks you to approve it when you open the app from your Shopify admin (Apps → JoinChat Messenger); if it has not asked yet, open the app from there again.`,
      action: legacy
        ? { label: "Approve permissions", url: `${ctx.config.appUrl.replace(/\/$/, "")}/auth?shop=${encodeURIComponent(shop.domain)}` }
        : { label: "Open the app in Shopify admin", url: `https://${shop.domain}/admin/apps/${encodeURIComponent(ctx.config.SHOPIFY_API_KEY ?? "")}` },
    },
  ];
}

/** Words for a step the app cannot see, by whether the merchant said it is done. */
function confirmableItem(shop: ShopRecord, item: Omit<SetupItem, "done" | "confirmable" | "confirmed"> & { id: ConfirmableStep; seen?: string | null }): SetupItem {
  const { seen, ...rest } = item;
  // Seen by the app (a storefront click proves the embed) beats anyone's word.
  if (seen) return { ...rest, done: true, detail: seen, confirmable: false };
  const confirmedAt = shop.settings.setupConfirmed[item.id];
  return confirmedAt
    ? { ...rest, done: true, confirmable: true, confirmed: true, detail: `You marked this done on ${confirmedAt.slice(0, 10)}; the app cannot check it. ${rest.detail}` }
    : { ...rest, done: null, confirmable: true, detail: `Not confirmed: the app cannot see this. ${rest.detail}` };
}

/**
 * What the shop still needs before customers get messages, each step checked against what the app
 * holds or has seen: installed with an access token held, JoinChat's page id and secret saved and
 * proven by a test message JoinChat accepted, the JoinChat SDK URL set, a storefront opt-in that
 * reached the app (which also proves the app embed on), a coupon for a welcome message that is on.
 * What the app cannot see (the embed before any click, the app block, JoinChat's allow-list) is
 * "not confirmed" (done: null) until the merchant confirms it; inside Shopify admin the page asks
 * App Bridge about the embed and the block instead. The shop is ready only when every step is done.
 */
export async function setupChecklist(ctx: AppContext, shop: ShopRecord): Promise<SetupItem[]> {
  const db = ctx.db;
  const [token, testSent, optIn, promotions, granted] = await Promise.all([
    db.session.findUnique({ where: { id: `offline_${shop.domain}` }, select: { id: true } }),
    db.delivery.findFirst({ where: { shopDomain: shop.domain, automation: "manual", state: "sent" }, select: { id: true } }),
    db.recipientLink.findFirst({ where: { shopDomain: shop.domain, source: "proxy" }, orderBy: { linkedAt: "desc" }, select: { linkedAt: true } }),
    promotionStatus(ctx, shop),
    ctx.sessions.grantedScopes(shop.domain),
  ]);
  const welcomeNeedsCode = shop.settings.automations.welcome && shop.settings.couponMode === "static" && !shop.couponCode;
  const connected = Boolean(shop.pageId && shop.hasSecret);
  const installed = shop.installed && token !== null;
  return [
    // First, and only while it holds: without the proxy's scope the storefront cannot reach the app.
    ...scopesItem(ctx, shop, scopesToApprove(ctx.config.SHOPIFY_SCOPES, granted)),
    {
      id: "installed",
      title: "Install the app on your store",
      done: installed,
      detail: installed
        ? "The app is installed and holds its access to your store."
        : "The app holds no access to your store yet: open it from your Shopify admin (Apps → JoinChat Messenger) to finish installing.",
      action: { label: "Open the app in Shopify admin", url: `https://${shop.domain}/admin/apps/${encodeURIComponent(ctx.config.SHOPIFY_API_KEY ?? "")}` },
    },
    {
      id: "joinchat",
      title: "Connect JoinChat",
      done: connected,
      detail: connected ? "The Facebook page id and the JoinChat API secret are saved." : "Save your Facebook page id and JoinChat API secret (JoinChat → Settings → API).",
      action: { label: "Open Settings", tab: "settings" },
    },
    {
      id: "test-message",
      title: "Send a test message",
      done: Boolean(testSent),
      detail: testSent
        ? "JoinChat accepted a test message: the page id and secret work."
        : "Send a test message to one of your subscribers (yourself, once you clicked Send to Messenger on your store) to prove the page id and secret with JoinChat.",
      action: { label: "Send a test", tab: "deliveries" },
    },
    {
      id: "sdk",
      title: "Set the JoinChat SDK URL",
      done: Boolean(shop.settings.sdkUrl),
      detail: shop.settings.sdkUrl
        ? "Your store loads JoinChat's SDK from the URL you saved."
        : "Without JoinChat's SDK URL (JoinChat → your plugin's install code) the Send to Messenger button cannot show on your store.",
      action: { label: "Open Settings", tab: "settings" },
    },
    confirmableItem(shop, {
      id: "embed",
      title: "Turn on the Send to Messenger button in your theme",
      seen: optIn ? "A shopper's Send to Messenger click has reached the app: the app embed is on." : null,
      detail: "Turn on the JoinChat Messenger app embed in your theme editor (App embeds), then confirm it here.",
      action: { label: "Open the theme editor", url: themeEditorUrl(shop.domain, ctx.config.SHOPIFY_API_KEY) },
    }),
    confirmableItem(shop, {
      id: "plugin-block",
      title: "Place the Send to Messenger button on your cart page",
      detail:
        "Add the Messenger plugin block to your cart page (and product pages or any other, if you like) with your plugin id from JoinChat. A Send to Messenger click on the cart page, right before the order, opens Messenger's 24-hour window, so the order's receipt can be sent.",
      action: { label: "Add the block to the cart page", url: addAppBlockUrl(shop.domain, ctx.config.SHOPIFY_API_KEY) },
    }),
    {
      id: "opt-in",
      title: "Receive a first opt-in",
      done: Boolean(optIn),
      detail: optIn
        ? `A shopper opted in from your store (latest ${optIn.linkedAt.toISOString().slice(0, 10)}): see Subscribers.`
        : "No shopper has clicked Send to Messenger on your store yet. Click it yourself on your store to check the button works.",
      action: { label: "Open Subscribers", tab: "subscribers" },
    },
    {
      id: "coupon",
      title: "Give the welcome message a coupon",
      done: !welcomeNeedsCode,
      detail: welcomeNeedsCode
        ? "The welcome message is on but has no coupon code: new customers get nothing until you add one (or turn the welcome message off)."
        : shop.settings.automations.welcome
          ? "New customers get a welcome coupon."
          : "The welcome message is off.",
      action: { label: "Open Settings", tab: "settings" },
    },
    // Only while it holds: a paused page is something to act on, not a setup step.
    ...(promotions.paused
      ? [
          {
            id: "promotions" as const,
            title: "Promotions are paused",
            done: false,
            detail: `JoinChat refused ${promotions.refused} of your last ${promotions.attempted} promotional or tagged messages, so welcome coupons, recalls and messages that would go tagged past the 24-hour window are paused to protect your Facebook page (receipts and shipping notices inside the window still go). They resume by themselves as the refusals age out of the last 24 hours, or resume them now in Settings.`,
            action: { label: "Open Settings", tab: "settings" as const },
          },
        ]
      : []),
    confirmableItem(shop, {
      id: "allowlist",
      title: "Allow your store's links in JoinChat",
      detail: "JoinChat only sends links to domains on your bot's allow-list. Add the domains listed under “Links in your messages” in JoinChat → Settings.",
      action: { label: "See the domains", tab: "settings" },
    }),
  ];
}

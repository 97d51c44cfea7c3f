import { processed, skipped, type EventHandler } from "../automations/contract";
import type { StoredEvent } from "../store/events";
import type { ShopRecord } from "../store/shops";
import { idString } from "./topics";
import { identityKeys } from "./customer-traces";

type Customer = { id?: unknown; email?: unknown; phone?: unknown } | null | undefined;

function customerOf(payload: Record<string, unknown>): { id: string | null; email: string | null; phone: string | null } {
  const c = payload.customer as Customer;
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  return { id: idString(c?.id), email: str(c?.email), phone: str(c?.phone) };
}

/** customers/data_request: gather what the app holds on the customer, for the merchant to hand over. */
export const dataRequest: EventHandler = async ({ ctx, event, payload }) => {
  const customer = customerOf(payload);
  const report = await ctx.compliance.customerReport(event.shopDomain, customer);
  await ctx.compliance.recordDataRequest(event.shopDomain, customer.id, report);
  return processed(`data request recorded: ${report.links.length} link(s), ${report.deliveries.length} message(s)`);
};

/** customers/redact: every trace of the customer goes (src/store/compliance.ts). */
export const customerRedact: EventHandler = async ({ ctx, event, payload }) => {
  const customer = customerOf(payload);
  const orderIds = Array.isArray(payload.orders_to_redact) ? payload.orders_to_redact.map(idString).filter((x): x is string => x !== null) : [];
  const keys = identityKeys(customer, ctx.config.SHOPIFY_API_SECRET ?? "");
  const n = await ctx.compliance.redactCustomer(event.shopDomain, customer, keys, orderIds, event.id, ctx.clock.now());
  return processed(`customer redacted: ${n.links} link(s), ${n.deliveries} message(s), ${n.events} event(s) deleted`);
};

/**
 * Why an app/uninstalled or shop/redact changes nothing: it happened before the shop's latest
 * install (Shopify retries one for hours, so it can arrive after a reinstall), or null.
 */
function beforeLatestInstall(event: StoredEvent, shop: ShopRecord | null): string | null {
  const at = event.triggeredAt === null ? NaN : Date.parse(event.triggeredAt);
  if (!shop?.installedAt || Number.isNaN(at) || at >= shop.installedAt.getTime()) return null;
  return `triggered at ${event.triggeredAt}, before the shop's latest install (${shop.installedAt.toISOString()}): changes nothing`;
}

/** shop/redact (48 hours after uninstall): delete everything the app holds for the shop. */
export const shopRedact: EventHandler = async ({ ctx, event, shop }) => {
  const stale = beforeLatestInstall(event, shop);
  if (stale) return skipped(stale);
  await ctx.compliance.redactShop(event.shopDomain, event.id);
  await ctx.shops.revokeAdminTokens(event.shopDomain, ctx.clock.now());
  return processed("shop redacted: all of its data deleted");
};

/** app/uninstalled: the shop is deactivated, its sessions deleted and pending messages cancelled. */
export const appUninstalled: EventHandler = async ({ ctx, event, shop }) => {
  const stale = beforeLatestInstall(event, shop);
  if (stale) return skipped(stale);
  const cancelled = await ctx.compliance.deactivateShop(event.shopDomain, ctx.clock.now());
  // A standalone sign-in (admin:login) lasts hours: one made before the uninstall must not outlive it.
  await ctx.shops.revokeAdminTokens(event.shopDomain, ctx.clock.now());
  return processed(`shop deactivated: sessions deleted, ${cancelled} pending message(s) cancelled`);
};

/** app/scopes_update: the merchant granted or withdrew scopes; the stored tokens say which they now carry. */
export const appScopesUpdate: EventHandler = async ({ ctx, event, payload }) => {
  const current = Array.isArray(payload.current) ? payload.current.filter((s): s is string => typeof s === "string") : null;
  if (!current) return skipped("payload has no list of current scopes");
  const n = await ctx.sessions.updateScopes(event.shopDomain, current.join(","));
  return processed(`scopes now ${current.join(",") || "none"} (${n} stored token(s))`);
};

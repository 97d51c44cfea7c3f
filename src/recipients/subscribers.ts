import type { DeliveryState, SubscriberMessageView, SubscriberView, SubscribersView } from "../admin-views";
import type { AppContext } from "../context";
import { isWindowOpen, MESSAGING_WINDOW_MS } from "../policy/send-decision";
import { recipientKeyOf } from "../store/delivery-plan";
import type { LinkListing } from "../store/links";

/** The most rows a CSV export holds: a shop's whole list, read a page at a time. */
export const EXPORT_LIMIT = 100_000;
const EXPORT_BATCH = 1_000;

const keyOf = (shopDomain: string, uuid: string) => recipientKeyOf(shopDomain, { uuid });

/** The links of a page as the admin shows them: each with its window now and the messages queued for it. */
async function viewsOf(ctx: AppContext, shopDomain: string, rows: LinkListing[], now: Date): Promise<SubscriberView[]> {
  const keys = rows.map((r) => keyOf(shopDomain, r.uuid));
  const groups = keys.length
    ? await ctx.db.delivery.groupBy({
        by: ["recipientKey", "state", "automation"],
        where: { shopDomain, recipientKey: { in: keys } },
        _count: { _all: true },
      })
    : [];
  return rows.map((r) => {
    const key = keyOf(shopDomain, r.uuid);
    const mine = groups.filter((g) => g.recipientKey === key);
    const sent = mine.filter((g) => g.state === "sent");
    const open = isWindowOpen(r.linkedAt, now);
    return {
      uuid: r.uuid,
      customerId: r.customerId,
      email: r.email,
      phone: r.phone,
      source: r.source,
      firstOptInAt: r.createdAt,
      lastOptInAt: r.linkedAt,
      optInPage: r.optInPage,
      windowOpen: open,
      windowClosesAt: open ? new Date(r.linkedAt.getTime() + MESSAGING_WINDOW_MS) : null,
      messages: {
        total: mine.reduce((n, g) => n + g._count._all, 0),
        sent: sent.reduce((n, g) => n + g._count._all, 0),
        automations: [...new Set(sent.map((g) => g.automation))].sort(),
      },
    };
  });
}

/** One page of the shop's subscribers, latest opt-in first, optionally those `search` matches (LinkStore.search). */
export async function subscriberPage(ctx: AppContext, shopDomain: string, o: { search?: string; offset: number; limit: number }): Promise<SubscribersView> {
  const { rows, total } = await ctx.links.search(shopDomain, o);
  return { subscribers: await viewsOf(ctx, shopDomain, rows, ctx.clock.now()), total, offset: o.offset, limit: o.limit };
}

/** Every subscriber `search` matches (up to EXPORT_LIMIT), for the CSV export. */
export async function allSubscribers(ctx: AppContext, shopDomain: string, search?: string): Promise<SubscriberView[]> {
  const all: SubscriberView[] = [];
  const now = ctx.clock.now();
  for (let offset = 0; offset < EXPORT_LIMIT; offset += EXPORT_BATCH) {
    const { rows } = await ctx.links.search(shopDomain, { search, offset, limit: Math.min(EXPORT_BATCH, EXPORT_LIMIT - offset) });
    all.push(...(await viewsOf(ctx, shopDomain, rows, now)));
    if (rows.length < EXPORT_BATCH) break;
  }
  return all;
}

/** The messages queued for one subscriber, newest first; null when the shop has no such subscriber. */
export async function subscriberMessages(ctx: AppContext, shopDomain: string, uuid: string, limit = 100): Promise<SubscriberMessageView[] | null> {
  if (!(await ctx.links.find(shopDomain, uuid))) return null;
  const rows = await ctx.db.delivery.findMany({
    where: { shopDomain, recipientKey: keyOf(shopDomain, uuid) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, automation: true, state: true, createdAt: true, sentAt: true },
  });
  return rows.map((r) => ({ ...r, state: r.state as DeliveryState }));
}

/**
 * Removes a subscriber: the uuid's link goes, as when the shopper unlinks from the storefront
 * (the app proxy's `unlink` calls this too), so later events no longer reach them by it. False
 * when there was no such link.
 */
export async function removeSubscriber(ctx: AppContext, shopDomain: string, uuid: string, by: "visitor" | "merchant"): Promise<boolean> {
  const removed = await ctx.links.unlink(shopDomain, uuid);
  ctx.log.child({ shop: shopDomain }).info({ removed, by }, by === "visitor" ? "JoinChat uuid unlinked at the visitor's request" : "JoinChat uuid unlinked by the merchant");
  return removed;
}

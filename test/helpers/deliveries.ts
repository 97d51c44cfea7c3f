import type { Db } from "../../src/store/db";

export const SHOP = "demo-store.myshopify.com";
export const PAGE = "1029384756";
export const JOINCHAT_SECRET = "joinchat-bot-secret";

/** Puts `n` text messages straight into the queue, due now, one recipient each unless `recipients` says fewer. */
export async function seedDeliveries(
  db: Db,
  n: number,
  o: { shop?: string; recipients?: number; runAt?: Date; prefix?: string; promotional?: boolean; windowOpenedAt?: Date | null } = {},
): Promise<void> {
  const shop = o.shop ?? SHOP;
  const recipients = o.recipients ?? n;
  const runAt = o.runAt ?? new Date(Date.now() - 1000);
  const prefix = o.prefix ?? "seed";
  const rows = Array.from({ length: n }, (_, i) => {
    const uuid = `u-${i % recipients}`;
    return {
      key: `${prefix}:${shop}:${i}`,
      shopDomain: shop,
      automation: "manual",
      recipientKey: `${shop}|uuid:${uuid}`,
      recipient: JSON.stringify({ uuid }),
      message: JSON.stringify({ template_type: "text", text: `${prefix} message ${i}` }),
      promotional: o.promotional ?? false,
      windowOpenedAt: o.windowOpenedAt ?? null,
      runAt: new Date(runAt.getTime() + i),
    };
  });
  for (let i = 0; i < rows.length; i += 500) await db.delivery.createMany({ data: rows.slice(i, i + 500) });
}

/** Polls until `check` holds or `ms` pass; returns the last value. */
export async function waitFor<T>(read: () => Promise<T>, check: (v: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  let v = await read();
  while (!check(v) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    v = await read();
  }
  return v;
}

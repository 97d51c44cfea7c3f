import type { Harness } from "./app";
import { SHOP } from "./deliveries";
import { signSessionToken } from "../../src/shopify/session-token";

/** The admin API as the page calls it: JSON, with a session token for one shop. */
export function adminClient(h: Harness, shop = SHOP) {
  const token = signSessionToken(h.app.ctx.config, shop, 600);
  return async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${h.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as any };
  };
}

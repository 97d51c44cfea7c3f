import type { Session } from "@shopify/shopify-api";
import type { AdminGraphql } from "./admin-graphql";

const QUERY = `query ShopTimeZone { shop { ianaTimezone } }`;
/** A single object's fields: Shopify's documented cost of 1. */
const COST = 1;

/** The shop's IANA time zone as Shopify has it (Settings → General in the store's admin). */
export async function readShopTimeZone(admin: AdminGraphql, session: Session): Promise<string> {
  const data = await admin.request<{ shop: { ianaTimezone: string } }>(session, QUERY, {}, COST);
  return data.shop.ianaTimezone;
}

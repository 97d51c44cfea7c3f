import type { Session } from "@shopify/shopify-api";
import { AdminApiRefusedError, type AdminGraphql } from "./admin-graphql";

// The Admin API lists only shop-scoped subscriptions, never the app-specific ones shopify.app.toml
// declares (Shopify's webhookSubscriptions reference): every one listed was registered per shop by
// an older version of this app, and delivers each event a second time beside the app-specific one.
const LIST = `query ShopWebhooks { webhookSubscriptions(first: 100) { nodes { id } } }`;
const DELETE = `mutation DropShopWebhook($id: ID!) {
  webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } }
}`;
/** Shopify's documented costs (a connection of 100 nodes, a mutation): what the throttle waits for. */
const LIST_COST = 12;
const DELETE_COST = 10;

interface ListData {
  webhookSubscriptions: { nodes: { id: string }[] };
}
interface DeleteData {
  webhookSubscriptionDelete: { deletedWebhookSubscriptionId: string | null; userErrors: { message: string }[] };
}

/** Deletes the shop-specific webhook subscriptions of the shop; returns how many. */
export async function removeShopWebhooks(admin: AdminGraphql, session: Session): Promise<number> {
  const { webhookSubscriptions } = await admin.request<ListData>(session, LIST, {}, LIST_COST);
  for (const { id } of webhookSubscriptions.nodes) {
    const data = await admin.request<DeleteData>(session, DELETE, { id }, DELETE_COST);
    const errors = data.webhookSubscriptionDelete.userErrors;
    if (errors.length) throw new AdminApiRefusedError(errors.map((e) => e.message).join("; "));
  }
  return webhookSubscriptions.nodes.length;
}

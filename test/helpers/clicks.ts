import type { Db } from "../../src/store/db";
import { SHOP } from "./deliveries";

/**
 * A welcome message to customer 7 (uuid u-7) with one URL button to `target`, in `state`
 * (scheduled: due now, a promotion inside the window the customer's opt-in just opened).
 */
export function seedButtonMessage(db: Db, target: string, state = "scheduled") {
  return db.delivery.create({
    data: {
      key: `welcome:${SHOP}:7`,
      shopDomain: SHOP,
      automation: "welcome",
      recipientKey: `${SHOP}|uuid:u-7`,
      recipient: JSON.stringify({ uuid: "u-7" }),
      customerId: "7",
      message: JSON.stringify({ template_type: "button", text: "Welcome! Here is 10% off.", buttons: [{ type: "web_url", url: target, title: "Shop now" }] }),
      promotional: true,
      windowOpenedAt: new Date(),
      runAt: new Date(Date.now() - 1000),
      state,
    },
  });
}

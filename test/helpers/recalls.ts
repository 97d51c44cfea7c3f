import type { Harness } from "./app";
import type { TestClock } from "./clock";
import { SHOP } from "./deliveries";
import { drain } from "./shop";
import { fixture, postWebhook } from "./webhooks";

/** The customer of checkouts-create.json. */
export const CHECKOUT_CUSTOMER = "603851970716743426";

/** John (uuid-john) opted in and left checkout 123123123 (checkouts-create.json); an hour later its first recall went out. */
export async function firstRecallSent(h: Harness, clock: TestClock): Promise<void> {
  await h.app.ctx.links.link(SHOP, "uuid-john", { customerId: CHECKOUT_CUSTOMER }, clock.now());
  await postWebhook(h.url, fixture("checkouts-create.json"), { topic: "checkouts/create" });
  await drain(h);
  clock.advanceMinutes(60);
  await drain(h);
}

import { buttonMessage, urlButton } from "../messages/builders";
import type { EventHandler } from "../events/handlers";
import { skipped } from "../events/outcome";
import { policyFor } from "../policy/tags";
import { resolveRecipient } from "../recipients/resolver";
import { newCustomerSchema, readPayload } from "./payloads";
import { renderText } from "./templates";

/**
 * customers/create: a button message with the shop's coupon and a button that opens the shop
 * with the discount applied. Promotional: no tag, only inside the 24-hour window.
 *
 * Unique single-use codes (couponMode "unique") need the Admin API through an OAuth install;
 * until that is built the shop's static code is used and the event says so.
 */
export const welcomeCoupon: EventHandler = async ({ ctx, payload, shop }) => {
  const read = readPayload(newCustomerSchema, payload);
  if (!read.ok) return skipped(read.reason);
  const customer = read.value;
  const s = shop!;
  if (!s.settings.automations.welcome) return skipped("welcome automation is off");
  const code = s.couponCode;
  if (!code) return skipped("no coupon code configured (npm run cli -- shop:set --coupon-code CODE)");
  const to = await resolveRecipient(ctx, s, { customerId: customer.id, email: customer.email ?? null, phone: customer.phone ?? null, noteAttributes: null });
  if (!to.recipient) return skipped(`no recipient: ${to.reason}`);
  const url = `https://${s.domain}/discount/${encodeURIComponent(code)}`;
  const message = buttonMessage(renderText(s, "welcome.text", { first_name: customer.first_name ?? undefined, coupon_code: code }), [
    urlButton(renderText(s, "welcome.button", {}), url),
  ]);
  const policy = policyFor("welcome", s.settings);
  return {
    state: "processed",
    note: s.settings.couponMode === "unique" ? "unique codes need the Admin API: the static code was used" : undefined,
    deliveries: [
      {
        key: `welcome:${s.domain}:${customer.id}`,
        automation: "welcome",
        recipient: to.recipient,
        customerId: customer.id,
        message,
        promotional: policy.promotional,
        windowOpenedAt: to.windowOpenedAt,
        subjectKey: `customer:${customer.id}`,
        runAt: ctx.clock.now(),
      },
    ],
  };
};

import { idString } from "./topics";

/**
 * What an event is about, as far as its handler reads what an earlier event's outcome writes (a
 * subject's version, whether it is closed, the messages about an order): its trace tokens (order,
 * email and phone hashes, cart uuid: WebhookEvent.traces), its customer and its checkout, by token,
 * cart token or id. The processor writes a pass's outcomes in one commit; an event that shares one
 * of these with an outcome not yet written is handled only once that outcome is committed.
 */
export function subjectsOf(topic: string, payload: Record<string, unknown>, customerId: string | null, traces: string): string[] {
  const checkout = topic.startsWith("checkouts/");
  const ids = {
    c: customerId,
    t: idString(checkout ? payload.token : payload.checkout_token),
    k: idString(payload.cart_token),
    i: idString(checkout ? payload.id : payload.checkout_id),
  };
  return [
    ...traces.split(" ").filter((t) => t !== ""),
    ...Object.entries(ids)
      .filter(([, v]) => v !== null && v !== "")
      .map(([kind, v]) => `${kind}:${v}`),
  ];
}

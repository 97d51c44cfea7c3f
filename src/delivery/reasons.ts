/**
 * Why a message was skipped or failed, in a merchant's words, with what to do: one place for the
 * delivery log and the results. Each rule matches the reasons the app itself writes (worker,
 * policy, automations) and JoinChat's answers; anything else is shown as it was recorded.
 */
interface ReasonRule {
  test: RegExp;
  plain: string;
}

const RULES: ReasonRule[] = [
  {
    test: /24-hour window has closed/,
    plain: "The customer's 24-hour Messenger window had closed, and promotions and payment reminders may not go out after it.",
  },
  {
    test: /past the 24-hour window: held/,
    plain: "Held: it was past the customer's 24-hour window, and Settings say to hold receipts, shipping notices and delivery updates then.",
  },
  {
    test: /^promotions paused: /,
    plain:
      "Not sent: your promotions are paused because JoinChat refused too many of them in the last 24 hours (customers who blocked your page or never opted in), which can get a Facebook page restricted. Receipts, shipping notices and delivery updates still go. Promotions resume as the refusals age out, or resume them in Settings.",
  },
  { test: /automation was turned off in Settings before it was due/, plain: "Not sent: you turned this automation off in Settings before the message was due." },
  { test: /^holdout: /, plain: "Not sent on purpose: this checkout is in your holdout group, which Results compare with the recalled checkouts (Settings → Results)." },
  { test: /signature does not match|answered 401/, plain: "JoinChat did not accept the message's signature: check the JoinChat secret in Settings, then retry." },
  { test: /page \S+ has no bot here|answered 404/, plain: "JoinChat does not know this page: check the Facebook page id in Settings, then retry." },
  {
    test: /10010|Recipient not found/,
    plain: "JoinChat does not know this customer (they never opted in on this page, or blocked it): their promotions stop until they click Send to Messenger again.",
  },
  { test: /JoinChat refused the message|answered 4\d\d/, plain: "JoinChat refused the message; its reason is in the details." },
  {
    test: /^no answer from JoinChat(, twice)?: it may have reached/,
    plain:
      "JoinChat did not answer when this was sent (twice, or once where Settings say not to send again): it may have reached the customer, so the app does not send it again by itself (nobody gets a message twice). Send it again if you know it did not arrive.",
  },
  { test: /without its \{"success": true\}/, plain: "Something other than JoinChat answered (a proxy's error page, an empty answer): it is tried again." },
  { test: /gave up after \d+ attempts/, plain: "JoinChat could not be reached for a long time (an outage): retry once it is back." },
  { test: /no JoinChat page id and secret/, plain: "The JoinChat page id and secret are not saved: add them in Settings, then retry." },
  { test: /secret cannot be opened/, plain: "The app's server cannot read the stored JoinChat secret (its encryption key changed): save the secret again in Settings." },
  { test: /no coupon code configured/, plain: "The welcome automation is on but no coupon code is set: add one in Settings." },
  { test: /^no recipient: /, plain: "The customer has not clicked Send to Messenger on the store, so there is no one to message." },
  { test: /automation is off/, plain: "That automation is turned off in Settings." },
  { test: /delivery update "\w+" is off/, plain: "Updates for that delivery status are turned off in Settings." },
  { test: /is not a delivery update the app sends/, plain: "The carrier reported a status the app sends no message for (only out for delivery, delivered and a failed attempt)." },
  { test: /carrier scan "\w+" is older than one/, plain: "The carrier's report arrived after a newer one (Shopify does not always deliver in order), so it was not sent." },
  { test: /no payment reminder needed/, plain: "The order was paid or cancelled before the reminder was due, so it was not sent." },
  { test: /no order status page to pay on/, plain: "The order came without a link to its status page, so there was nowhere to send the customer to pay." },
  { test: /superseded by a newer checkout/, plain: "The customer started a newer checkout: its recalls replace this one." },
  { test: /checkout completed|cart ordered/, plain: "The customer completed the order: recalls stop." },
  { test: /app uninstalled/, plain: "The app was uninstalled from the store." },
  { test: /payload not understood/, plain: "Shopify sent data the app could not read; the details say which field." },
  { test: /message refused before sending/, plain: "The message broke one of JoinChat's rules and was not sent; the details say which." },
];

/** The plain-words reason of a recorded error, or null for none. */
export function plainReason(recorded: string | null): string | null {
  if (!recorded) return null;
  return RULES.find((r) => r.test.test(recorded))?.plain ?? recorded;
}

/**
 * Why a message was skipped, held, cancelled or failed: a code stored on its row (`reason`) beside
 * the recorded detail (`lastError`, for the operator), and the code's plain words, with what to do,
 * for the merchant. The admin and the CLI read this one table. A row recorded before codes existed
 * has none: its recorded text is shown as it is.
 */
export const REASONS = {
  window_closed: "The customer's 24-hour Messenger window had closed, and promotions and payment reminders may not go out after it.",
  outside_window:
    "Held: it fell outside the customer's 24-hour Messenger window (or the app could not know their window: they were reached by email or phone, or never clicked Send to Messenger), and Meta refuses the tags that once carried such messages. A Send to Messenger click on the cart or checkout page opens the window right before the order: place the app block there. Or choose in Settings to send these past the window with a tag, which JoinChat may refuse.",
  promotional_text:
    "Held: its text reads as a promotion (a discount, a sale, a coupon), and past the customer's 24-hour Messenger window it could only go with a tag, which Meta forbids for promotions. Edit its template in Templates so it speaks only of the order; promotions belong in the welcome and abandoned-checkout messages, which go inside the window.",
  promotions_paused:
    "Not sent: your promotions are paused because JoinChat refused too many of them in the last 24 hours (customers who blocked your page or never opted in), which can get a Facebook page restricted. Receipts, shipping notices and delivery updates inside the 24-hour window still go. Promotions resume as the refusals age out, or resume them in Settings.",
  tagged_paused:
    "Held: JoinChat refused too many of your recent promotions and tagged messages, so messages that would go tagged past the 24-hour window are paused with the promotions, to protect your Facebook page. They resume as the refusals age out, or resume them in Settings.",
  switched_off: "Not sent: you turned this automation off in Settings before the message was due.",
  holdout: "Not sent on purpose: this checkout is in your holdout group, which Results compare with the recalled checkouts (Settings → Results).",
  signature_refused: "JoinChat did not accept the message's signature: check the JoinChat secret in Settings, then retry.",
  unknown_page: "JoinChat does not know this page: check the Facebook page id in Settings, then retry.",
  unknown_recipient: "JoinChat does not know this customer (they never opted in on this page, or blocked it): their promotions stop until they click Send to Messenger again.",
  refused: "JoinChat refused the message; its reason is in the details.",
  unanswered:
    "JoinChat did not answer when this was sent (twice, or once where Settings say not to send again): it may have reached the customer, so the app does not send it again by itself (nobody gets a message twice). Send it again if you know it did not arrive.",
  not_joinchat: "Something other than JoinChat answered (a proxy's error page, an empty answer): it is tried again.",
  gave_up: "JoinChat could not be reached for a long time (an outage): retry once it is back.",
  no_credentials: "The JoinChat page id and secret are not saved: add them in Settings, then retry.",
  secret_unreadable: "The app's server cannot read the stored JoinChat secret (its encryption key changed): save the secret again in Settings.",
  no_coupon_code: "The welcome automation is on but no coupon code is set: add one in Settings.",
  no_recipient:
    "Not sent: the customer has not clicked Send to Messenger on the store, so there was no one to message. More customers opt in when the Messenger button sits where they buy: add the app block to the cart or checkout page (Settings › setup checklist).",
  automation_off: "That automation is turned off in Settings.",
  delivery_status_off: "Updates for that delivery status are turned off in Settings.",
  not_delivery_status: "The carrier reported a status the app sends no message for (only out for delivery, delivered and a failed attempt).",
  older_scan: "The carrier's report arrived after a newer one (Shopify does not always deliver in order), so it was not sent.",
  no_payment_needed: "The order was paid or cancelled before the reminder was due, so it was not sent.",
  no_status_page: "The order came without a link to its status page, so there was nowhere to send the customer to pay.",
  superseded: "The customer started a newer checkout: its recalls replace this one.",
  order_placed: "The customer completed the order: recalls stop.",
  uninstalled: "The app was uninstalled from the store.",
  payload_not_understood: "Shopify sent data the app could not read; the details say which field.",
  message_invalid: "The message broke one of JoinChat's rules and was not sent; the details say which.",
} as const;

export type ReasonCode = keyof typeof REASONS;

export function isReasonCode(code: string): code is ReasonCode {
  return Object.hasOwn(REASONS, code);
}

/** A row's reason in plain words: its code's, or, for a row without one, what was recorded; null for neither. */
export function plainReason(code: string | null, recorded: string | null): string | null {
  if (code && isReasonCode(code)) return REASONS[code];
  return recorded;
}

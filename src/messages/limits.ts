/**
 * Every limit of JoinChat's send_message API (JOINCHAT_API.md), in one place.
 *
 * Lengths are counted in UTF-16 code units (JavaScript's `string.length`). The vendor says
 * "characters" without saying which kind; UTF-16 units are never fewer than code points or
 * graphemes, so a text within these limits is within them however JoinChat counts.
 */
export const LIMITS = {
  textChars: 640,
  buttonTitleChars: 20,
  elementTitleChars: 80,
  elementSubtitleChars: 80,
  buttonsPerButtonMessage: { min: 1, max: 3 },
  buttonsPerGenericElement: 3,
  genericElements: { min: 1, max: 10 },
  listElements: { min: 2, max: 4 },
  listButtons: 1,
  listElementButtons: 1,
  receiptElements: 100,
  delaySeconds: { min: 0, max: 10 },
} as const;

/**
 * The tags JoinChat's page lists (Messenger's of 2019), then the names Meta used since 2020
 * (ACCOUNT_UPDATE is in both). Meta retired all of them for utility templates in 2026 (see
 * JOINCHAT_API.md); JoinChat's contract still takes a tag to pass the 24-hour window, so the shop
 * picks the one its JoinChat account gets through, and src/policy/ decides when one is sent.
 */
export const MESSAGE_TAGS = [
  "BUSINESS_PRODUCTIVITY",
  "COMMUNITY_ALERT",
  "CONFIRMED_EVENT_REMINDER",
  "NON_PROMOTIONAL_SUBSCRIPTION",
  "PAIRING_UPDATE",
  "APPLICATION_UPDATE",
  "ACCOUNT_UPDATE",
  "PAYMENT_UPDATE",
  "PERSONAL_FINANCE_UPDATE",
  "SHIPPING_UPDATE",
  "RESERVATION_UPDATE",
  "ISSUE_RESOLUTION",
  "APPOINTMENT_UPDATE",
  "GAME_EVENT",
  "TRANSPORTATION_UPDATE",
  "FEATURE_FUNCTIONALITY_UPDATE",
  "TICKET_UPDATE",
  "POST_PURCHASE_UPDATE",
  "CONFIRMED_EVENT_UPDATE",
] as const;

export type MessageTag = (typeof MESSAGE_TAGS)[number];

/**
 * The only tags a shop may choose to send past the 24-hour window: the three Meta kept in 2020 for
 * automated messages. Meta deprecated these too in 2026 (JOINCHAT_API.md), so sending with one is
 * the merchant's explicit choice (JoinChat decides, its answer is read); the thirteen retired on
 * 2020-03-04 (PAYMENT_UPDATE and SHIPPING_UPDATE among them) are never offered.
 */
export const PAST_WINDOW_TAGS = ["POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE"] as const satisfies readonly MessageTag[];
export type PastWindowTag = (typeof PAST_WINDOW_TAGS)[number];

/**
 * The admin API's answers as types: the one source the server builds them by (src/http/admin-api.ts
 * annotates each answer with these) and the admin page reads them by (src/admin-ui/types.ts). It
 * imports only types, and only of modules free of Node and the database, so the browser bundle's
 * type check can follow it. Dates travel as ISO strings: the page reads `Wire<...>` of each view.
 */
import type { MessageTag } from "./messages/limits";
import type { Message } from "./messages/schema";
import type { PromotionPause } from "./policy/promotion-pause";
import type { AutomationName, BotButtonAutomation, DeliveryStatus, SwitchedAutomation, TagSetting } from "./policy/automations";
import type { BotButton, ShopSettings } from "./store/shop-settings";

export type { AutomationName as Automation, BotButton, BotButtonAutomation, DeliveryStatus, Message, MessageTag, SwitchedAutomation };

/** A value as JSON carries it: dates become ISO strings. */
export type Wire<T> = T extends Date ? string : T extends readonly (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

/** The shop's settings as the admin form shows them: the stored settings, the row's own fields, the secret masked. */
export type SettingsView = Omit<ShopSettings, "templates" | "sdkUrl" | "shopName" | "tags" | "setupConfirmed"> & {
  pageId: string | null;
  /** Write-only: never sent back, only enough to recognise it. */
  joinchatSecret: { stored: boolean; masked: string | null };
  sdkUrl: string | null;
  abandonedDelaysMinutes: number[];
  couponCode: string | null;
  shopName: string | null;
  /** The tag each transactional message carries past the window (the shop's, else the default). */
  tags: Record<TagSetting, MessageTag>;
};

/** An automation as its catalog entry (src/policy/automations.ts) describes it to the admin, in the admin's order. */
export interface AutomationView {
  name: AutomationName;
  /** Its one name, on every page of the admin. */
  label: string;
  /** Never tagged: sent only within the 24-hour window. */
  promotional: boolean;
  /** Its messages speak of an order (a promotional one of these goes untagged, but is no offer). */
  orderMessage: boolean;
}

/** GET /admin/api/shop, PUT /admin/api/settings. */
export interface ShopView {
  shop: string;
  installed: boolean;
  /** Shopify's theme editor, opened at App embeds with this app's embed to enable. */
  appEmbedUrl: string;
  settings: SettingsView;
  /** Every tag the shop may choose to send with past the window: the three Meta kept in 2020. */
  tagChoices: readonly MessageTag[];
  automations: AutomationView[];
}

/** A domain the shop's messages link to, for JoinChat's allow-list, and which automations use it. */
export interface LinkDomain {
  domain: string;
  automations: string[];
}

export interface TemplateView {
  key: string;
  automation: AutomationName;
  /** Where it shows in the message, as the catalog names it. */
  label: string;
  text: string;
  default: string;
  custom: boolean;
  placeholders: string[];
  limit: number;
}

/** GET and PUT /admin/api/templates. */
export interface TemplatesView {
  language: ShopSettings["language"];
  templates: TemplateView[];
}

/** POST /admin/api/preview. */
export interface Preview {
  /** What the sender would send for the sample event, built by the automation's own builder. */
  message: Message;
  /** Other shapes the same automation sends (a carousel for a cart of several items). */
  alternatives: { label: string; message: Message }[];
  /** Promotional: never past the 24-hour window. */
  promotional: boolean;
  /** The tag it would carry past the window: the shop's choice when it sends tagged, else null (held, or a promotion). */
  tag: string | null;
  /**
   * Each template's length with the longest values its placeholders take, against the limit of the
   * field it lands in, and why saving it would be refused (too long, promotional); null when it would not.
   */
  fields: { key: string; length: number; limit: number; problem: string | null }[];
  buttons: { used: number; limit: number } | null;
}

export const DELIVERY_STATES = ["scheduled", "sending", "sent", "failed", "cancelled", "skipped", "unknown"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** JoinChat unreachable, as the delivery workers last saw it: messages wait and go once it answers. */
export interface JoinChatOutageView {
  since: Date;
  lastError: string;
}

/** One message as the Deliveries tab shows it (GET /admin/api/deliveries). */
export interface DeliveryView {
  id: string;
  createdAt: Date;
  runAt: Date;
  sentAt: Date | null;
  automation: string;
  /** Masked: enough to recognise, not to contact; null for a message never made (no one to send it to). */
  recipient: string | null;
  /** The order it is about, as the shop names it ("#1001"), lowercased. */
  orderName: string | null;
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  /** The reason in plain words, with what to do. */
  explanation: string | null;
  /** What was notable when the message was made (a unique code fell back to the static one, no store credit granted). */
  eventNote: string | null;
  /** JoinChat's refusal code when it answered success: false. */
  joinchatCode: string | null;
  joinchatRecipientId: string | null;
  tag: string | null;
  sentBody: string | null;
  responseStatus: number | null;
  responseBody: string | null;
}

/** GET /admin/api/results. */
export interface ResultsView {
  /** The shop's days of the range asked for, oldest first, in `timeZone` (the shop's; UTC until known). */
  days: string[];
  timeZone: string;
  /** Per automation, per state, one count per day. */
  automations: Record<string, { sent: number[]; skipped: number[]; failed: number[] }>;
  /** Per automation, clicks on its messages' buttons, one count per day. */
  clicks: Record<string, number[]>;
  /** Paid orders counted under the rule; `pending`: those the rule counts that are not paid yet. */
  recovered: { orders: number; revenue: { currency: string; amount: string }[]; daily: number[] };
  pending: { orders: number; revenue: { currency: string; amount: string }[] };
  /** Whether the shop's message buttons go through the app's click redirect, and the domain that needs for JoinChat's allow-list. */
  clickTracking: { on: boolean; domain: string; available: boolean };
  /** Per automation, the top reasons messages were skipped or failed, in plain words. */
  reasons: Record<string, { state: "skipped" | "failed"; reason: string; count: number }[]>;
  /** Per automation, messages held outside the recipient's 24-hour window, and how to bring customers into it. */
  outsideWindow: Record<string, { count: number; advice: string }>;
  /** The rule recovered orders were counted by, with its words. */
  attribution: { attribution: "strict" | "window" | "click"; windowDays: number; rule: string };
  /** Recalled against held-out checkouts; null when none was grouped. */
  groups: { recalled: GroupResultView; holdout: GroupResultView; lift: { points: number; relative: number | null } | null } | null;
  holdoutPercent: number;
  promotions: PromotionStatusView;
}

/** One group of the holdout comparison. */
export interface GroupResultView {
  checkouts: number;
  /** Checkouts of the group an order completed. */
  orders: number;
  /** orders / checkouts, 0 to 1 (0 for an empty group). */
  conversion: number;
  revenue: { currency: string; amount: string }[];
}

/** Whether the shop's promotions are paused now, with the figures and the rule (GET /admin/api/promotions). */
export type PromotionStatusView = PromotionPause & { enabled: boolean; resumedAt: string | null };

/** A store event the app gave up on after its retries (GET /admin/api/events). */
export interface FailedEventView {
  id: string;
  topic: string;
  state: string;
  attempts: number;
  note: string | null;
  receivedAt: Date;
  processedAt: Date | null;
  runAt: Date | null;
}

/** The setup steps the app cannot see for itself, which the merchant may mark done (POST /admin/api/setup/confirm). */
export const CONFIRMABLE_STEPS = ["embed", "plugin-block", "allowlist"] as const;
export type ConfirmableStep = (typeof CONFIRMABLE_STEPS)[number];

/** One step of the admin's setup checklist (GET /admin/api/setup): done or not, said plainly, with where to fix it. */
export interface SetupItem {
  id: "installed" | "joinchat" | "test-message" | "sdk" | "embed" | "plugin-block" | "opt-in" | "coupon" | "allowlist" | "promotions" | "scopes";
  title: string;
  /**
   * true done (seen by the app, or confirmed by the merchant), false to do, null: not confirmed
   * (the app cannot see it; the merchant checks it and confirms). Only true counts as done.
   */
  done: boolean | null;
  /** A step the app cannot see: the merchant may mark it done (or undo that). */
  confirmable?: boolean;
  /** Done on the merchant's word alone, not seen by the app. */
  confirmed?: boolean;
  detail: string;
  /** Where the fix is: an admin tab, or an address outside the app. */
  action?: { label: string; tab?: "settings" | "templates" | "deliveries" | "results" | "subscribers"; url?: string };
}

/** One shopper who opted in to Messenger (a uuid link), as the Subscribers section lists it. */
export interface SubscriberView {
  uuid: string;
  /** Whom the link names, as far as it is known; all null: an anonymous visitor. */
  customerId: string | null;
  email: string | null;
  phone: string | null;
  /** Who made the link: "proxy" (a Send to Messenger click on the storefront), "cli" (an operator). */
  source: string;
  firstOptInAt: Date;
  /** The latest click: it opened the 24-hour window. */
  lastOptInAt: Date;
  /** The storefront path of the latest click; null when it is not known. */
  optInPage: string | null;
  /** Whether messages may go untagged now (src/policy/send-decision.ts, isWindowOpen), and till when. */
  windowOpen: boolean;
  windowClosesAt: Date | null;
  /** Messages queued for them: how many, how many were sent, and of which automations the sent ones were. */
  messages: { total: number; sent: number; automations: string[] };
}

/** GET /admin/api/subscribers: one page of them, of `total` matching. */
export interface SubscribersView {
  subscribers: SubscriberView[];
  total: number;
  offset: number;
  limit: number;
}

/** A message queued for one subscriber (GET /admin/api/subscribers/:uuid/messages). */
export interface SubscriberMessageView {
  id: string;
  automation: string;
  state: DeliveryState;
  createdAt: Date;
  sentAt: Date | null;
}

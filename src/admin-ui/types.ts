// The admin API's answers, as the page reads them (see src/http/admin-api.ts).

export type Automation = "welcome" | "abandoned" | "receipt" | "shipping";

export interface ShopSettings {
  pageId: string | null;
  joinchatSecret: { stored: boolean; masked: string | null };
  sdkUrl: string | null;
  automations: Record<Automation, boolean>;
  abandonedDelaysMinutes: number[];
  couponMode: "static" | "unique";
  couponCode: string | null;
  uniqueCoupon: { prefix: string; percentage: number; validDays: number };
  recipientOptIn: { email: boolean; phone: boolean };
  language: "en" | "zh";
  receiptTopic: "orders/create" | "orders/paid";
  shopName: string | null;
  pastWindow: "send_tagged" | "hold";
  tags: { receipt: string; shipping: string };
  /** Whether promotions pause when JoinChat refuses too many of them. */
  promotionPause: boolean;
  results: { attribution: "strict" | "window"; windowDays: number; holdoutPercent: number };
}

/** Whether the shop's promotions are paused (GET /admin/api/promotions). */
export interface PromotionStatus {
  paused: boolean;
  enabled: boolean;
  attempted: number;
  refused: number;
  since: string;
  rule: string;
  resumedAt: string | null;
}

/** One group of the holdout comparison. */
export interface GroupResult {
  checkouts: number;
  orders: number;
  conversion: number;
  revenue: { currency: string; amount: string }[];
}

export interface ShopView {
  shop: string;
  installed: boolean;
  /** Shopify's theme editor, opened at App embeds with this app's embed to enable. */
  appEmbedUrl: string;
  settings: ShopSettings;
  /** Every tag the shop may choose: JoinChat's list, then Meta's names. */
  tagChoices: string[];
}

/** A domain the shop's messages link to, for JoinChat's allow-list, and which automations use it. */
export interface LinkDomain {
  domain: string;
  automations: string[];
}

export interface TemplateView {
  key: string;
  automation: Automation;
  text: string;
  default: string;
  custom: boolean;
  placeholders: string[];
  limit: number;
}

export interface TemplatesView {
  language: "en" | "zh";
  templates: TemplateView[];
}

export interface Button {
  type: "web_url" | "postback";
  title: string;
  url?: string;
}

/** Any JoinChat message; the preview draws each template type. */
export interface Message {
  template_type: "text" | "button" | "generic" | "list" | "receipt";
  text?: string;
  buttons?: Button[];
  elements?: { title: string; subtitle?: string; image_url?: string; buttons?: Button[]; quantity?: number; price?: number | string; currency?: string }[];
  recipient_name?: string;
  order_number?: string;
  currency?: string;
  payment_method?: string;
  summary?: { subtotal?: number | string; shipping_cost?: number | string; total_tax?: number | string; total_cost: number | string };
  adjustments?: { name: string; amount: number | string }[];
}

export interface Preview {
  message: Message;
  alternatives: { label: string; message: Message }[];
  tag: string | null;
  fields: { key: string; length: number; limit: number }[];
  buttons: { used: number; limit: number } | null;
}

export interface Delivery {
  id: string;
  createdAt: string;
  runAt: string;
  sentAt: string | null;
  automation: string;
  recipient: string;
  state: "scheduled" | "sending" | "sent" | "failed" | "cancelled" | "skipped";
  attempts: number;
  lastError: string | null;
  /** The reason in plain words, with what to do. */
  explanation: string | null;
  /** JoinChat's refusal code when it answered success: false. */
  joinchatCode: string | null;
  joinchatRecipientId: string | null;
  tag: string | null;
  sentBody: string | null;
  responseStatus: number | null;
  responseBody: string | null;
}

export interface Results {
  days: string[];
  automations: Record<string, { sent: number[]; skipped: number[]; failed: number[] }>;
  recovered: { orders: number; revenue: { currency: string; amount: string }[]; daily: number[] };
  /** Per automation, the top reasons messages were skipped or failed, in plain words. */
  reasons: Record<string, { state: "skipped" | "failed"; reason: string; count: number }[]>;
  /** The rule recovered orders were counted by, with its words. */
  attribution: { attribution: "strict" | "window"; windowDays: number; rule: string };
  /** Recalled against held-out checkouts; null when none was grouped. */
  groups: { recalled: GroupResult; holdout: GroupResult; lift: { points: number; relative: number | null } | null } | null;
  holdoutPercent: number;
  promotions: PromotionStatus;
}

/** A store event the app gave up on after its retries (GET /admin/api/events). */
export interface FailedEvent {
  id: string;
  topic: string;
  state: "failed";
  attempts: number;
  note: string | null;
  receivedAt: string;
  processedAt: string | null;
  runAt: string | null;
}

/** One step of the setup checklist (GET /admin/api/setup). */
export interface SetupItem {
  id: "joinchat" | "test-message" | "embed" | "coupon" | "allowlist" | "promotions";
  title: string;
  done: boolean | null;
  detail: string;
  action?: { label: string; tab?: string; url?: string };
}

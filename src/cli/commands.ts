import { DELIVERY_STATES } from "../admin-views";
import crypto from "node:crypto";
import { z } from "zod";
import { PermanentSendError, reasonOfSendError, RefusedSendError, RetryableSendError } from "../joinchat/errors";
import { wireBody } from "../messages/wire";
import type { AppContext } from "../context";
import type { Recipient } from "../messages/schema";
import { UsageError, parseCommandFlags, type FlagSpec } from "./args";
import { JOINCHAT_UUID_PATTERN } from "../recipients/uuid";
import { adminLoginUrl } from "../shopify/session-token";
import { manualKey, TAG_SETTING_NAMES, TAG_SETTINGS, tagOf } from "../policy/automations";
import { PAST_WINDOW_TAGS } from "../messages/limits";
import { mergeSettings, type SettingsChange, type ShopSettings } from "../store/shop-settings";
import { shopDomainSchema } from "../shop-domain";
import { settingsChangeSchema, type SettingsChangeRequest } from "../store/settings-change";
import { parseWithProblems, type FieldProblem } from "../store/field-problems";

const shopDomain = shopDomainSchema({ missing: "--shop is required", invalid: "--shop must be a *.myshopify.com domain, e.g. my-store.myshopify.com" });

/** `--abandoned-delays 60,480,1380` as a list; the settings schema judges the delays themselves. */
const minutesList = z
  .string()
  .regex(/^\d+(\.\d+)?(,\d+(\.\d+)?)*$/, { message: "--abandoned-delays must be minutes, comma-separated, e.g. 60,480,1380" })
  .transform((s) => s.split(",").map(Number));

/** The settings field each shop:set flag changes, checked by the admin's own schema (src/store/settings-change.ts). */
const SHOP_SET_FIELDS = {
  "page-id": "pageId",
  "joinchat-secret": "joinchatSecret",
  "coupon-code": "couponCode",
  "abandoned-delays": "abandonedDelaysMinutes",
  "coupon-mode": "couponMode",
  "past-window": "pastWindow",
  // Each tag setting of the catalog's, by its flag ("receipt-tag": "tags.receipt").
  ...Object.fromEntries(TAG_SETTING_NAMES.map((t) => [TAG_SETTINGS[t].flag, `tags.${t}`])),
} as Record<string, string>;

/**
 * shop:set's flags as the shop and a change of its settings, validated by the schema the admin
 * validates with; a refusal names the flag, before the merchant's words for the rule.
 */
export function shopSetChange(argv: string[]): { shop: string; change: SettingsChangeRequest; flagsGiven: number } {
  const flags = parseCommandFlags(argv, SHOP_SET_FLAGS);
  const { shop } = parseWith(z.object({ shop: shopDomain }), flags);
  const text = (flag: string) => flags[flag] as string | undefined;
  const tags = Object.fromEntries(TAG_SETTING_NAMES.map((t) => [t, text(TAG_SETTINGS[t].flag)]).filter(([, tag]) => tag !== undefined));
  const delays = text("abandoned-delays");
  const input = {
    pageId: text("page-id"),
    joinchatSecret: text("joinchat-secret"),
    couponCode: text("coupon-code"),
    abandonedDelaysMinutes: delays === undefined ? undefined : parseWith(minutesList, delays),
    couponMode: text("coupon-mode"),
    pastWindow: text("past-window"),
    tags: Object.keys(tags).length === 0 ? undefined : tags,
  };
  const parsed = parseWithProblems(settingsChangeSchema, input);
  if (!parsed.ok) throw new UsageError(parsed.problems.map(flagProblem).join("\n"));
  return { shop, change: parsed.data, flagsGiven: Object.keys(flags).length };
}

/** A problem of shop:set's input on one line, naming its flag: "must ..." reads after the flag's name, a bare rule after a colon. */
function flagProblem({ field, message }: FieldProblem): string {
  const flag = Object.entries(SHOP_SET_FIELDS).find(([, f]) => field === f || field.startsWith(`${f}.`))?.[0];
  return flag ? `--${flag}${/^(must|may) /.test(message) ? " " : ": "}${message}` : message;
}

const SHOP_FLAG: FlagSpec = { type: "string", value: "<shop>.myshopify.com", description: "the shop's myshopify domain" };

export const SHOP_SET_FLAGS: Record<string, FlagSpec> = {
  shop: SHOP_FLAG,
  "page-id": { type: "string", value: "<id>", description: "the Facebook page id (JoinChat -> Settings -> API); needed for a new shop" },
  "joinchat-secret": { type: "string", value: "<secret>", description: "the JoinChat API secret, stored encrypted; needed for a new shop" },
  "coupon-code": { type: "string", value: "<code>", description: "the welcome coupon code (letters, digits, - and _; at most 255)" },
  "abandoned-delays": { type: "string", value: "<minutes,...>", description: "recall delays in minutes after the checkout, increasing, at most 1380 (23 hours), e.g. 60,480,1380" },
  "coupon-mode": { type: "string", value: "static|unique", description: "one code for everyone, or a single-use code per customer" },
  "past-window": {
    type: "string",
    value: "hold|send_tagged",
    description: "receipts, shipping notices and delivery updates past the 24-hour window: held (the default), or sent with a tag Meta may refuse",
  },
  ...Object.fromEntries(
    TAG_SETTING_NAMES.map((t) => [
      TAG_SETTINGS[t].flag,
      {
        type: "string",
        value: "<tag>",
        description: `the tag ${TAG_SETTINGS[t].covers} go with past the window: ${PAST_WINDOW_TAGS.slice(0, -1).join(", ")} or ${PAST_WINDOW_TAGS.at(-1)!}`,
      },
    ]),
  ),
};

/** `--to uuid:U | id:I | email:E | phone:P` as a JoinChat recipient. */
export function parseRecipient(to: string): Recipient {
  const m = /^(uuid|id|email|phone):(.+)$/.exec(to);
  if (!m) throw new UsageError("--to must be uuid:<uuid>, id:<facebook id>, email:<email> or phone:<phone>");
  return { [m[1] as "uuid"]: m[2] } as Recipient;
}

function parseWith<T>(schema: z.ZodType<T>, flags: unknown): T {
  const parsed = schema.safeParse(flags);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
  return parsed.data;
}

export type Print = (line: string) => void;

/** Creates a shop, or changes only the settings given. */
export async function shopSet(ctx: AppContext, argv: string[], print: Print): Promise<void> {
  const { shop: domain, change, flagsGiven } = shopSetChange(argv);
  const existing = await ctx.shops.find(domain);
  if (!existing?.pageId && (!change.pageId || !change.joinchatSecret)) {
    throw new UsageError(`${domain} is a new shop: give --page-id and --joinchat-secret`);
  }
  if (flagsGiven === 1) throw new UsageError("nothing to change: give at least one setting (see shop:set --help)");
  const shop = await ctx.shops.upsert(domain, {
    pageId: change.pageId,
    joinchatSecret: change.joinchatSecret,
    couponCode: change.couponCode,
    abandonedDelaysMinutes: change.abandonedDelaysMinutes,
    settings: settingsOf(existing?.settings ?? null, change),
  });
  print(
    `shop ${shop.domain}: page ${shop.pageId}, secret stored encrypted, coupon ${shop.couponCode ?? "none"}` +
      (shop.settings.couponMode === "unique" ? " (unique single-use codes through the Admin API; this code when unavailable)" : "") +
      ", " +
      `abandoned-checkout recalls at ${shop.abandonedDelaysMinutes.join(", ")} minutes, ` +
      (shop.settings.pastWindow === "hold"
        ? "held past the 24-hour window"
        : `sent past the 24-hour window with ${TAG_SETTING_NAMES.map((t) => `${tagOf(t, shop.settings)} (${TAG_SETTINGS[t].short})`).join(" and ")}`) +
      (shop.installed ? "" : " (not installed: open the app in the shop's Shopify admin once; features that need the Admin API are off until then)"),
  );
}

/** The stored settings a shop:set change touches, merged over the shop's (a tag given alone keeps the other). */
function settingsOf(current: ShopSettings | null, change: SettingsChangeRequest): Partial<ShopSettings> | undefined {
  const touched: SettingsChange = {
    ...(change.couponMode ? { couponMode: change.couponMode } : {}),
    ...(change.pastWindow ? { pastWindow: change.pastWindow } : {}),
    ...(change.tags ? { tags: change.tags } : {}),
  };
  if (Object.keys(touched).length === 0) return undefined;
  return current ? mergeSettings(current, touched) : (touched as Partial<ShopSettings>);
}

export const SEND_FLAGS: Record<string, FlagSpec> = {
  shop: SHOP_FLAG,
  to: { type: "string", value: "uuid:U|id:I|email:E|phone:P", description: "the recipient" },
  text: { type: "string", value: "<text>", description: "the text, at most 640 characters" },
};

const sendSchema = z.object({
  shop: shopDomain,
  to: z.string({ message: "--to is required" }),
  text: z.string({ message: "--text is required" }),
});

/**
 * Sends one text now and prints JoinChat's answer. The message is a row of the delivery log like
 * any other (automation "manual"), held as in flight while this command sends it, so a running
 * worker leaves it alone; if the command dies mid-send, the lease brings it back to the worker.
 */
export async function send(ctx: AppContext, argv: string[], print: Print): Promise<void> {
  const flags = parseWith(sendSchema, parseCommandFlags(argv, SEND_FLAGS));
  const recipient = parseRecipient(flags.to);
  const shop = await ctx.shops.find(flags.shop);
  if (!shop?.pageId) throw new UsageError(`shop ${flags.shop} has no JoinChat settings: run shop:set first`);
  const secret = await ctx.shops.joinchatSecret(flags.shop);
  if (!secret) throw new UsageError(`shop ${flags.shop} has no JoinChat secret: run shop:set first`);
  // Refused, not cut, when too long: the operator sees what they typed is not what would go.
  const message = { template_type: "text" as const, text: flags.text };
  const sentBody = wireBody({ page_id: shop.pageId, recipient, message }).text;
  const now = ctx.clock.now();
  const row = await ctx.deliveries.createInFlight(
    flags.shop,
    {
      key: manualKey(flags.shop, `cli-${crypto.randomUUID()}`),
      automation: "manual",
      recipient,
      customerId: null,
      message,
      promotional: false,
      windowOpenedAt: null,
      subjectKey: null,
      runAt: now,
    },
    "cli",
    now,
  );
  try {
    const result = await ctx.joinchat.sendBytes(sentBody, secret);
    await ctx.deliveries.markSent(row.id, sentBody, result.answer.status, result.answer.body, ctx.clock.now(), result.recipientId, null);
    print(`sent (delivery ${row.id}): JoinChat answered ${result.answer.status}: ${result.answer.body}`);
  } catch (err) {
    if (err instanceof RetryableSendError || err instanceof PermanentSendError) {
      await ctx.deliveries.markEnded(row.id, "failed", reasonOfSendError(err), err.message, {
        status: err.answer.status,
        responseBody: err.answer.body,
        sentBody,
        joinchatCode: err instanceof RefusedSendError ? err.refusal.code : null,
      });
    }
    throw err;
  }
}

export const DELIVERIES_FLAGS: Record<string, FlagSpec> = {
  shop: SHOP_FLAG,
  json: { type: "boolean", description: "one JSON array instead of lines" },
  state: { type: "string", value: "<state>", description: "only scheduled, sending, sent, failed, cancelled or skipped messages" },
};

const deliveriesSchema = z.object({
  shop: shopDomain,
  json: z.literal(true).optional(),
  state: z.enum(DELIVERY_STATES, { message: `--state must be ${DELIVERY_STATES.join(", ")}` }).optional(),
});

/** The delivery log of a shop, newest first. */
export async function deliveries(ctx: AppContext, argv: string[], print: Print): Promise<void> {
  const flags = parseWith(deliveriesSchema, parseCommandFlags(argv, DELIVERIES_FLAGS));
  const rows = (await ctx.deliveries.list(flags.shop, 500)).filter((r) => !flags.state || r.state === flags.state);
  if (flags.json) {
    print(
      JSON.stringify(
        rows.map((r) => ({
          id: r.id,
          key: r.key,
          automation: r.automation,
          state: r.state,
          attempts: r.attempts,
          runAt: r.runAt,
          sentAt: r.sentAt,
          lastError: r.lastError,
          joinchatCode: r.joinchatCode,
          responseStatus: r.responseStatus,
          tag: r.tag,
        })),
        null,
        2,
      ),
    );
    return;
  }
  if (rows.length === 0) return print(`no messages for ${flags.shop}`);
  for (const r of rows) {
    const when = (r.sentAt ?? r.runAt).toISOString();
    print(`${when}  ${r.state.padEnd(9)}  ${r.automation.padEnd(9)}  attempts ${r.attempts}  ${r.id}${r.lastError ? `  ${r.lastError}` : ""}`);
  }
}

export const RETRY_FLAGS: Record<string, FlagSpec> = {
  shop: SHOP_FLAG,
  id: { type: "string", value: "<delivery id>", description: "only this message (default: every failed one of the shop)" },
};

const retrySchema = z.object({ shop: shopDomain, id: z.string().min(1).optional() });

/** Puts failed messages (the dead letters) back in the queue, due now. */
export async function deliveriesRetry(ctx: AppContext, argv: string[], print: Print): Promise<void> {
  const flags = parseWith(retrySchema, parseCommandFlags(argv, RETRY_FLAGS));
  const n = await ctx.deliveries.retryFailed(flags.shop, ctx.clock.now(), flags.id);
  if (flags.id && n === 0) throw new UsageError(`no failed message ${flags.id} in ${flags.shop}`);
  print(`${n} failed message(s) queued again`);
}

export const LINK_ADD_FLAGS: Record<string, FlagSpec> = {
  shop: SHOP_FLAG,
  uuid: { type: "string", value: "<uuid>", description: "the JoinChat uuid (from joinchatSendToMessengerCallback)" },
  "customer-id": { type: "string", value: "<id>", description: "the Shopify customer id" },
  email: { type: "string", value: "<email>", description: "or the customer's email" },
  phone: { type: "string", value: "<phone>", description: "or the customer's phone" },
};

const linkAddSchema = z
  .object({
    shop: shopDomain,
    uuid: z.string({ message: "--uuid is required" }).regex(JOINCHAT_UUID_PATTERN, { message: "--uuid must be 1-128 letters, digits, - or _" }),
    "customer-id": z.string().regex(/^\d+$/, { message: "--customer-id must be a Shopify customer id (digits)" }).optional(),
    email: z.email({ message: "--email must be an email address" }).optional(),
    phone: z
      .string()
      .regex(/^\+?[0-9 ()-]{5,20}$/, { message: "--phone must be a phone number, e.g. +85212345678" })
      .optional(),
  })
  .refine((f) => [f["customer-id"], f.email, f.phone].filter(Boolean).length === 1, { message: "give exactly one of --customer-id, --email or --phone" });

/** Links a uuid to a customer, as the storefront would (back-office imports, tests). */
export async function linkAdd(ctx: AppContext, argv: string[], print: Print): Promise<void> {
  const flags = parseWith(linkAddSchema, parseCommandFlags(argv, LINK_ADD_FLAGS));
  await ctx.links.link(flags.shop, flags.uuid, { customerId: flags["customer-id"], email: flags.email, phone: flags.phone }, ctx.clock.now(), "cli");
  print(`uuid ${flags.uuid} linked in ${flags.shop}; its 24-hour Messenger window counts from now`);
}

export const ADMIN_LOGIN_FLAGS: Record<string, FlagSpec> = {
  shop: SHOP_FLAG,
  hours: { type: "string", value: "<hours>", description: "how long the address works (default 8, at most a week)" },
};

const adminLoginSchema = z.object({
  shop: shopDomain,
  hours: z.coerce
    .number({ message: "--hours must be a number" })
    .positive("--hours must be above 0")
    .max(24 * 7, "--hours: at most a week")
    .default(8),
});

/** Prints a login address for the admin outside Shopify admin (a signed session token for the shop). */
export async function adminLogin(ctx: AppContext, argv: string[], print: Print): Promise<void> {
  const flags = parseWith(adminLoginSchema, parseCommandFlags(argv, ADMIN_LOGIN_FLAGS));
  if (!ctx.config.SHOPIFY_API_KEY || !ctx.config.SHOPIFY_API_SECRET)
    throw new UsageError("SHOPIFY_API_KEY and SHOPIFY_API_SECRET must be set: the login is signed with the app's secret");
  print(adminLoginUrl(ctx.config, flags.shop, flags.hours));
}

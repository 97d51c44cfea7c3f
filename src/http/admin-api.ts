import crypto from "node:crypto";
import express, { Router, type Request, type Response } from "express";
import { z } from "zod";
import {
  CONFIRMABLE_STEPS,
  DELIVERY_STATES,
  type AutomationView,
  type DeliveryState,
  type DeliveryView,
  type JoinChatOutageView,
  type FailedEventView,
  type LinkDomain,
  type ResultsView,
  type ShopView,
  type TemplatesView,
} from "../admin-views";
import type { AppContext } from "../context";
import { previewMessage, TEMPLATE_PLACEHOLDERS, automationOfTemplate } from "../automations/preview";
import { lengthProblem, longestValues, outgrownTemplate, promotionProblem, templatesToCheck } from "../automations/template-check";
import { DEFAULT_TEMPLATES, mergeTemplates, TEMPLATE_KEYS, TEMPLATE_LABELS, TEMPLATE_LIMITS, type TemplateKey } from "../automations/templates";
import { textMessage } from "../messages/builders";
import { LIMITS, PAST_WINDOW_TAGS } from "../messages/limits";
import { linkDomainsOf } from "../messages/link-domains";
import type { Message } from "../messages/schema";
import { AUTOMATION_NAMES, AUTOMATIONS, DELIVERY_AUTOMATIONS, manualKey, MAX_RECALLS, TAG_SETTING_NAMES, tagOf } from "../policy/automations";
import { joinchatUuidSchema } from "../recipients/uuid";
import { maskStoredRecipient } from "../recipients/mask";
import { maskSecret } from "../store/secrets";
import type { ShopRecord } from "../store/shops";
import { mergeSettings, ownSettingsOf, shopSettingsSchema } from "../store/shop-settings";
import { checkSettingsChange } from "../store/settings-change";
import { EncryptionKeyError } from "../store/secrets";
import { plainReason, REASONS } from "../policy/reasons";
import { promotionStatus, setupChecklist } from "../automations/setup";
import { requireSessionToken, type AdminLocals } from "./admin-auth";
import { parseCursor } from "../store/deliveries";
import { RequestError } from "../errors";
import { rangeOf, rangeQuery, shopTimeZone } from "./results-range";

type AdminResponse = Response<unknown, AdminLocals>;

/** A request the admin cannot act on (400 unless said): `field` names the input at fault, for the form to show it. */
const refuse = (message: string, field?: string, status: RequestError["status"] = 400, problems?: RequestError["problems"]) => new RequestError(status, message, field, problems);

export function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.join(".");
  // The field travels apart, for the form to mark it; the message is the merchant's to read.
  throw refuse(issue.message, field || undefined);
}

const placeholdersOf = (text: string) => [...text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]!);
// Refused in this order, the first reason named: empty, promotional (a coupon's placeholder says
// so better than "unknown placeholder"), unknown placeholders; then, with the shop, too long.
const templateText = (key: TemplateKey) =>
  z
    .string()
    .refine((t) => t.trim().length > 0, "must not be empty (null restores the default)")
    .superRefine((t, c) => {
      const promotion = promotionProblem(key, t);
      if (promotion) c.addIssue({ code: "custom", message: promotion });
    })
    .refine((t) => placeholdersOf(t).every((p) => TEMPLATE_PLACEHOLDERS[key].includes(p)), {
      message: `unknown placeholder: use ${TEMPLATE_PLACEHOLDERS[key].map((p) => `{{${p}}}`).join(", ")}`,
    });
const templatesSchema = z.strictObject(
  Object.fromEntries(TEMPLATE_KEYS.map((k) => [k, templateText(k).nullable().optional()])) as Record<TemplateKey, z.ZodOptional<z.ZodNullable<z.ZodString>>>,
);
const previewSchema = z.strictObject({
  automation: z.enum(AUTOMATION_NAMES),
  // Bounded only to bound the work: the preview reports the length against the field's limit.
  templates: z.strictObject(Object.fromEntries(TEMPLATE_KEYS.map((k) => [k, z.string().max(20_000).optional()])) as Record<TemplateKey, z.ZodOptional<z.ZodString>>).optional(),
  language: z.enum(["en", "zh"]).optional(),
  // Which message of a sequence (the recalls: 1 the first); an automation of one message ignores it.
  step: z.number().int("a whole number").min(1, "at least 1").max(MAX_RECALLS, `at most ${MAX_RECALLS}`).optional(),
});
/** A day ("2026-12-06", UTC) or a moment (ISO 8601); `endOfDay`: a day alone means up to its end. */
const dayOrTime = (endOfDay: boolean) =>
  z
    .string()
    .max(40)
    .transform((t, c) => {
      const day = /^\d{4}-\d{2}-\d{2}$/.test(t);
      const at = new Date(day ? `${t}T00:00:00.000Z` : t);
      if (Number.isNaN(at.getTime())) {
        c.addIssue({ code: "custom", message: "is not a date (2026-12-06) or a time (2026-12-06T10:00:00Z)" });
        return z.NEVER;
      }
      return day && endOfDay ? new Date(at.getTime() + 86_400_000) : at;
    });
const deliveriesQuery = z.object({
  state: z.enum(DELIVERY_STATES).optional(),
  automation: z.enum(DELIVERY_AUTOMATIONS).optional(),
  /** The customer's name or email, or a uuid: any part of it. */
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((t) => t || undefined),
  /** An order's name or number, exactly ("#1001", "1001"). */
  order: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((t) => t || undefined),
  from: dayOrTime(false).optional(),
  to: dayOrTime(true).optional(),
  before: z
    .string()
    .max(200)
    .refine((c) => parseCursor(c) !== null, "is not a cursor this list handed out (next)")
    .transform((c) => parseCursor(c)!)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const testMessageSchema = z.strictObject({
  uuid: joinchatUuidSchema,
  // Refused, not cut: the merchant is testing what they typed.
  text: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .refine((t) => t.length <= LIMITS.textChars, `at most ${LIMITS.textChars} characters`),
});
const setupConfirmSchema = z.strictObject({ id: z.enum(CONFIRMABLE_STEPS), confirmed: z.boolean() });

/** The app embed's block, the file name of extensions/joinchat-embed/blocks/app-embed.liquid. */
export const APP_EMBED_HANDLE = "app-embed";

/** The automations as the admin names and describes them, read from the catalog. */
const AUTOMATION_VIEWS: AutomationView[] = AUTOMATION_NAMES.map((name) => ({
  name,
  label: AUTOMATIONS[name].label,
  promotional: AUTOMATIONS[name].promotional,
  orderMessage: AUTOMATIONS[name].orderTemplates,
}));

/** A shop with no row yet: what its settings will be once saved. */
const blankShop = (domain: string): ShopRecord => ({
  domain,
  pageId: null,
  hasSecret: false,
  couponCode: null,
  abandonedDelaysMinutes: [60, 480, 1380],
  settings: shopSettingsSchema.parse({}),
  installed: false,
  installedAt: null,
  uninstalledAt: null,
});

/**
 * The merchant admin's JSON API. Every route acts for the shop named by the request's verified
 * session token and reads or changes only that shop's rows.
 */
export function adminApiRoutes(ctx: AppContext, onScheduled: () => void, onEventQueued: () => void = () => {}): Router {
  const router = Router();
  router.use("/admin/api", requireSessionToken(ctx), express.json({ limit: "100kb" }));

  const shopOf = async (res: AdminResponse) => (await ctx.shops.find(res.locals.shop)) ?? blankShop(res.locals.shop);

  async function shopView(shop: ShopRecord): Promise<ShopView> {
    const secret = shop.hasSecret ? await ctx.shops.joinchatSecret(shop.domain).catch(() => null) : null;
    const { settings: s } = shop;
    return {
      shop: shop.domain,
      installed: shop.installed,
      // Shopify's deep link to the theme editor with the app embed to enable (activateAppId = client id / embed handle).
      appEmbedUrl: `https://${shop.domain}/admin/themes/current/editor?context=apps&activateAppId=${ctx.config.SHOPIFY_API_KEY ?? ""}/${APP_EMBED_HANDLE}`,
      settings: {
        pageId: shop.pageId,
        joinchatSecret: { stored: shop.hasSecret, masked: shop.hasSecret ? maskSecret(secret) : null },
        sdkUrl: s.sdkUrl ?? null,
        automations: s.automations,
        ...ownSettingsOf(s),
        abandonedDelaysMinutes: shop.abandonedDelaysMinutes,
        couponMode: s.couponMode,
        couponCode: shop.couponCode,
        uniqueCoupon: s.uniqueCoupon,
        recipientOptIn: s.recipientOptIn,
        language: s.language,
        shopName: s.shopName ?? null,
        pastWindow: s.pastWindow,
        tags: Object.fromEntries(TAG_SETTING_NAMES.map((t) => [t, tagOf(t, s)])) as ShopView["settings"]["tags"],
        botButtons: s.botButtons,
        signupReward: s.signupReward,
        promotionPause: s.promotionPause,
        resendUnanswered: s.resendUnanswered,
        results: s.results,
      },
      tagChoices: PAST_WINDOW_TAGS,
      automations: AUTOMATION_VIEWS,
    };
  }

  function templatesView(shop: ShopRecord): TemplatesView {
    const language = shop.settings.language;
    return {
      language,
      templates: TEMPLATE_KEYS.map((key) => ({
        key,
        automation: automationOfTemplate(key),
        label: TEMPLATE_LABELS[key],
        text: shop.settings.templates[key] ?? DEFAULT_TEMPLATES[language][key],
        default: DEFAULT_TEMPLATES[language][key],
        custom: shop.settings.templates[key] !== undefined,
        placeholders: TEMPLATE_PLACEHOLDERS[key],
        limit: TEMPLATE_LIMITS[key],
      })),
    };
  }

  function deliveryView(row: NonNullable<Awaited<ReturnType<AppContext["deliveries"]["findForShop"]>>>, notes = new Map<string, string>()): DeliveryView {
    return {
      id: row.id,
      createdAt: row.createdAt,
      runAt: row.runAt,
      sentAt: row.sentAt,
      automation: row.automation,
      recipient: maskStoredRecipient(row.recipient),
      orderName: row.orderName,
      state: row.state as DeliveryState,
      attempts: row.attempts,
      lastError: row.lastError,
      explanation: plainReason(row.reasonCode, row.lastError),
      eventNote: (row.eventId && notes.get(row.eventId)) ?? null,
      joinchatCode: row.joinchatCode,
      joinchatRecipientId: row.joinchatRecipientId,
      tag: row.tag,
      sentBody: row.sentBody,
      responseStatus: row.responseStatus,
      responseBody: row.responseBody,
    };
  }

  router.get("/admin/api/shop", async (_req, res: AdminResponse) => void res.json(await shopView(await shopOf(res))));

  router.put("/admin/api/settings", async (req: Request, res: AdminResponse) => {
    const current = await shopOf(res);
    const checked = checkSettingsChange(req.body ?? {}, { ...current.settings, recallCount: current.abandonedDelaysMinutes.length });
    // Every problem at once, each on its field; the first also as `error` and `field`.
    if (!checked.ok) throw refuse(checked.problems[0]!.message, checked.problems[0]!.field || undefined, 400, checked.problems);
    const { change } = checked;
    const { pageId, joinchatSecret, couponCode, abandonedDelaysMinutes, ...settingsChange } = change;
    const settings = mergeSettings(current.settings, settingsChange);
    // A longer coupon code or prefix must not make a saved template cut the code it carries.
    const after: ShopRecord = { ...current, couponCode: couponCode === undefined ? current.couponCode : couponCode, settings: { ...current.settings, ...settings } };
    const outgrown = outgrownTemplate(current, after);
    if (outgrown) {
      const field = couponCode !== undefined ? "couponCode" : settingsChange.uniqueCoupon?.prefix !== undefined ? "uniqueCoupon.prefix" : undefined;
      throw refuse(`the saved template ${outgrown.key} would no longer fit: ${outgrown.problem}; shorten it in Templates first (nothing was saved)`, field);
    }
    let shop: ShopRecord;
    try {
      shop = await ctx.shops.upsert(res.locals.shop, {
        pageId,
        joinchatSecret,
        couponCode,
        abandonedDelaysMinutes,
        settings: Object.keys(settings).length ? settings : undefined,
      });
    } catch (err) {
      if (!(err instanceof EncryptionKeyError)) throw err;
      throw refuse("the secret cannot be stored yet: the app's operator must set ENCRYPTION_KEY on the server first (nothing was saved)", "joinchatSecret");
    }
    res.json(await shopView(shop));
  });

  router.get("/admin/api/templates", async (_req, res: AdminResponse) => void res.json(templatesView(await shopOf(res))));

  router.put("/admin/api/templates", async (req: Request, res: AdminResponse) => {
    const { templates } = parse(z.strictObject({ templates: templatesSchema }), req.body ?? {});
    const current = await shopOf(res);
    const next = mergeTemplates(current.settings.templates, templates);
    // Each saved text, with the longest values its placeholders take, must fit its field whole.
    const changed = (Object.keys(templates) as TemplateKey[]).filter((k) => typeof templates[k] === "string");
    const after: ShopRecord = { ...current, settings: { ...current.settings, templates: next } };
    const values = longestValues(after);
    for (const key of templatesToCheck(changed)) {
      const problem = lengthProblem(after, key, values);
      if (problem) throw refuse(problem, `templates.${key}`);
    }
    // The whole map is replaced: a key set back to its default must go, not be merged back in.
    const shop = await ctx.shops.upsert(res.locals.shop, { settings: { templates: next } });
    res.json(templatesView(shop));
  });

  router.post("/admin/api/preview", async (req: Request, res: AdminResponse) => {
    const p = parse(previewSchema, req.body ?? {});
    res.json(previewMessage(await shopOf(res), p.automation, { templates: p.templates, language: p.language, step: p.step }));
  });

  router.get("/admin/api/deliveries", async (req: Request, res: AdminResponse) => {
    const q = parse(deliveriesQuery, req.query);
    const [page, outage] = await Promise.all([ctx.deliveries.page(res.locals.shop, q), ctx.joinchatOutage.current(ctx.clock.now())]);
    const notes = await ctx.events.notesOf(res.locals.shop, [...new Set(page.rows.flatMap((r) => (r.eventId && r.state !== "skipped" ? [r.eventId] : [])))]);
    const joinchatOutage: JoinChatOutageView | null = outage && { since: outage.since, lastError: outage.lastError };
    res.json({ deliveries: page.rows.map((r) => deliveryView(r, notes)), next: page.next, joinchatOutage });
  });

  router.get("/admin/api/deliveries/:id", async (req: Request<{ id: string }>, res: AdminResponse) => {
    const row = await ctx.deliveries.findForShop(res.locals.shop, req.params.id);
    if (!row) throw refuse("no such delivery", undefined, 404);
    res.json({ delivery: deliveryView(row) });
  });

  router.post("/admin/api/deliveries/:id/retry", async (req: Request<{ id: string }>, res: AdminResponse) => {
    const row = await ctx.deliveries.findForShop(res.locals.shop, req.params.id);
    if (!row) throw refuse("no such delivery", undefined, 404);
    if (row.state !== "failed" && row.state !== "unknown")
      throw refuse(`only failed messages, or ones JoinChat never answered, are sent again; this one is ${row.state}`, undefined, 409);
    await ctx.deliveries.retryFailed(res.locals.shop, ctx.clock.now(), row.id);
    onScheduled();
    res.json({ delivery: deliveryView((await ctx.deliveries.findForShop(res.locals.shop, row.id))!) });
  });

  router.post("/admin/api/test-message", async (req: Request, res: AdminResponse) => {
    const t = parse(testMessageSchema, req.body ?? {});
    const shop = await ctx.shops.find(res.locals.shop);
    if (!shop?.pageId || !shop.hasSecret) throw refuse("save the JoinChat page id and secret first", "pageId", 409);
    // Only to a shopper who opted in to this shop (Subscribers): a uuid is nothing a merchant types.
    if (!(await ctx.links.find(shop.domain, t.uuid))) throw refuse("pick one of your subscribers: this uuid has not opted in to your store", "uuid");
    const message = textMessage(t.text);
    const row = await ctx.deliveries.scheduleNow(shop.domain, {
      key: manualKey(shop.domain, crypto.randomUUID()),
      automation: "manual",
      recipient: { uuid: t.uuid },
      customerId: null,
      message,
      // The merchant's own test: sent as asked, like `npm run cli -- send`.
      promotional: false,
      windowOpenedAt: null,
      subjectKey: null,
      runAt: ctx.clock.now(),
    });
    onScheduled();
    res.status(202).json({ delivery: deliveryView(row) });
  });

  // Whether the shop's promotions are paused (too many refused lately), and the merchant's way to resume them.
  router.get("/admin/api/promotions", async (_req, res: AdminResponse) => void res.json(await promotionStatus(ctx, await shopOf(res))));

  router.post("/admin/api/promotions/resume", async (_req, res: AdminResponse) => {
    // The refusal count starts afresh now: the pause returns only if new refusals earn it.
    const shop = await ctx.shops.upsert(res.locals.shop, { settings: { promotionsResumedAt: ctx.clock.now().toISOString() } });
    res.json(await promotionStatus(ctx, shop));
  });

  router.get("/admin/api/setup", async (_req, res: AdminResponse) => void res.json({ items: await setupChecklist(ctx, await shopOf(res)) }));

  // The merchant's word on a step the app cannot see (or its withdrawal); answers the checklist.
  router.post("/admin/api/setup/confirm", async (req: Request, res: AdminResponse) => {
    const { id, confirmed } = parse(setupConfirmSchema, req.body ?? {});
    const current = await shopOf(res);
    const setupConfirmed = { ...current.settings.setupConfirmed, [id]: confirmed ? ctx.clock.now().toISOString() : undefined };
    res.json({ items: await setupChecklist(ctx, await ctx.shops.upsert(res.locals.shop, { settings: { setupConfirmed } })) });
  });

  // Store events whose handler kept failing: each with its error, to retry once the cause is fixed.
  router.get("/admin/api/events", async (_req, res: AdminResponse) => {
    const events: FailedEventView[] = await ctx.events.listForShop(res.locals.shop, "failed", 100);
    res.json({ events });
  });

  router.post("/admin/api/events/:id/retry", async (req: Request<{ id: string }>, res: AdminResponse) => {
    if (!(await ctx.events.retryFailed(res.locals.shop, req.params.id))) throw refuse("no such failed event", undefined, 404);
    onEventQueued();
    res.json({ ok: true });
  });

  // The domains the shop's messages link to, for JoinChat's URL allow-list: the shop's own, then
  // what its recent messages carry (checkout, order-status and carrier tracking domains).
  router.get("/admin/api/link-domains", async (_req, res: AdminResponse) => {
    const rows = await ctx.deliveries.list(res.locals.shop, 500);
    const seen = new Map<string, Set<string>>([[res.locals.shop, new Set(AUTOMATION_NAMES.filter((a) => AUTOMATIONS[a].linksToShop))]]);
    // Tracked clicks: every message's buttons lead through the app's own domain first.
    if ((await shopOf(res)).settings.results.trackClicks) seen.set(new URL(ctx.config.appUrl).hostname, new Set(AUTOMATION_NAMES));
    for (const row of rows) {
      for (const host of linkDomainsOf(JSON.parse(row.message) as Message)) {
        if (!seen.has(host)) seen.set(host, new Set());
        seen.get(host)!.add(row.automation);
      }
    }
    const domains: LinkDomain[] = [...seen].map(([domain, automations]) => ({ domain, automations: [...automations].sort() }));
    res.json({ domains });
  });

  router.get("/admin/api/results", async (req: Request, res: AdminResponse) => {
    const range = rangeOf(parse(rangeQuery, req.query), ctx.clock.now(), await shopTimeZone(ctx, res.locals.shop));
    const shop = await shopOf(res);
    const results = await ctx.results.forShop(res.locals.shop, range, shop.settings.results);
    // Reasons as the merchant reads them, the same plain reason counted once, the top three.
    const reasons: ResultsView["reasons"] = {};
    for (const [automation, list] of Object.entries(results.reasons)) {
      const merged = new Map<string, ResultsView["reasons"][string][number]>();
      for (const r of list) {
        const reason = plainReason(r.code, r.reason)!;
        const hit = merged.get(`${r.state}\n${reason}`) ?? { state: r.state, reason, count: 0 };
        hit.count += r.count;
        merged.set(`${r.state}\n${reason}`, hit);
      }
      reasons[automation] = [...merged.values()].sort((a, b) => b.count - a.count).slice(0, 3);
    }
    const outsideWindow = Object.fromEntries(Object.entries(results.outsideWindow).map(([a, count]) => [a, { count, advice: REASONS.outside_window }]));
    const clickTracking = { on: shop.settings.results.trackClicks, domain: new URL(ctx.config.appUrl).hostname, available: Boolean(ctx.config.SHOPIFY_API_SECRET) };
    const view: ResultsView = {
      ...results,
      reasons,
      outsideWindow,
      clickTracking,
      holdoutPercent: shop.settings.results.holdoutPercent,
      promotions: await promotionStatus(ctx, shop),
    };
    res.json(view);
  });

  router.use("/admin/api", (_req: Request, res: Response) => void res.status(404).json({ error: "not found" }));
  return router;
}

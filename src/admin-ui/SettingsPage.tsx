import { useEffect, useState } from "react";
import { BlockStack, Button, Card, FormLayout, InlineStack, Layout, Select, SkeletonBodyText, Text, TextField } from "@shopify/polaris";
import { api, ApiError, type FieldProblem } from "./api";
import { appBridge, SaveControls } from "./app-bridge";
import type { LinkDomain, PageProps, Preview, ShopSettings, ShopView, SwitchedAutomation } from "./types";
import { MessengerPreview } from "./MessengerPreview";
import { SetupChecklist } from "./SetupChecklist";
import { PromotionsBanner } from "./PromotionsBanner";
import { labelOf } from "./labels";
import { renderFields, type FieldSpec, type Option } from "./SettingsFields";
import {
  afterSave,
  BOT_BUTTONS,
  draftOf,
  isDirty,
  recallDelaysOf,
  SECTION_IDS,
  sectionOfField,
  sectionsChange,
  type BotButtonDraft,
  type Draft,
  type SectionId,
} from "./settings-draft";
import { SettingsSection, type SectionSave } from "./SettingsSection";

/** How Results count a recovered order, in plain words. */
const ATTRIBUTION_HELP: Record<ShopSettings["results"]["attribution"], string> = {
  strict: "An order counts only when it completes the very checkout a recall was sent about. The surest measure; it misses customers who come back through a new cart.",
  window:
    "An order counts when the same customer places it within the days below after a recall was sent to them, whichever cart it came from. Catches customers who come back another way, but also some who would have ordered anyway.",
  click:
    "An order counts when the same customer places it within the days below after clicking a button in any of the app's messages. Needs click tracking on (Results page); counts what the messages led to, whichever automation sent them.",
};

/** The automations switched on and off as a whole, each named as its catalog entry names it, with when it goes. */
const AUTOMATION_SWITCHES: { id: SwitchedAutomation; help: string }[] = [
  { id: "welcome", help: "After a customer signs up (promotional, inside the 24-hour window)" },
  { id: "abandoned", help: "At each delay after a checkout is left (promotional)" },
  { id: "receipt", help: "When an order is placed or paid (past 24 hours: see below)" },
  { id: "shipping", help: "When an order ships, with tracking (past 24 hours: see below)" },
];

/** What each choice for messages past the 24-hour window means for the merchant, in plain words. */
const PAST_WINDOW_HELP: Record<ShopSettings["pastWindow"], string> = {
  send_tagged:
    "Receipts, shipping notices and delivery updates past 24 hours (or to customers whose window the app cannot know: email or phone recipients) go out marked with the tag below. Meta deprecated even these tags in 2026: whether JoinChat still gets such a message through is its answer, which you see in Deliveries (a refused one shows as failed, with JoinChat's reason).",
  hold: "The default. Receipts, shipping notices and delivery updates go out only within 24 hours of the customer's last Send to Messenger click; later ones, and those to customers whose window the app cannot know, are held, and Deliveries and Results show them with the reason. To reach more customers, place the Send to Messenger block on the cart page: a click there opens the window right before the order.",
};

/** What a field may read to show or explain itself: the draft, and the shop as last loaded. */
interface Shown {
  draft: Draft;
  view: ShopView;
}
type Field = FieldSpec<Draft, Shown>;

// The simple fields, section by section; the sections' special parts stay in the page below.

const JOINCHAT_FIELDS: Field[] = [
  { kind: "text", path: "pageId", label: "Facebook page id", error: "pageId" },
  {
    kind: "text",
    path: "joinchatSecret",
    label: "JoinChat API secret",
    type: "password",
    autoComplete: "new-password",
    placeholder: ({ view }) => (view.settings.joinchatSecret.stored ? "Leave empty to keep the stored secret" : "Paste the secret"),
    help: ({ view: { settings } }) => (settings.joinchatSecret.stored ? `Stored: ${settings.joinchatSecret.masked}` : "No secret stored yet: nothing can be sent."),
    error: "joinchatSecret",
  },
  {
    kind: "text",
    path: "sdkUrl",
    label: "JoinChat SDK script URL",
    help: "The storefront loads this script (https) for the Send to Messenger button, once the app embed is on.",
    error: "sdkUrl",
  },
];

const AUTOMATION_FIELDS: Field[] = [
  ...AUTOMATION_SWITCHES.map((a): Field => ({ kind: "check", path: `automations.${a.id}`, label: ({ view }) => labelOf(view.automations, a.id), help: a.help })),
  {
    kind: "text",
    path: "delays",
    label: "Abandoned-checkout recall delays (minutes)",
    help: "Comma-separated and increasing; the default 60, 480, 1380 is 1 h, 8 h and 23 h after the checkout.",
    error: "abandonedDelaysMinutes",
  },
  {
    kind: "select",
    path: "receiptTopic",
    label: "Receipt is sent on",
    options: [
      { label: "When the order is placed", value: "orders/create" },
      { label: "When the order is paid", value: "orders/paid" },
    ],
  },
];

/** The carrier statuses a delivery update can be sent for, each switched on by itself. */
const DELIVERY_UPDATE_FIELDS: Field[] = [
  { kind: "check", path: "deliveryUpdates.out_for_delivery", label: "Out for delivery", help: "The carrier has the parcel on its way to the customer today." },
  { kind: "check", path: "deliveryUpdates.delivered", label: "Delivered", help: "The carrier reports the parcel delivered." },
  {
    kind: "check",
    path: "deliveryUpdates.attempted_delivery",
    label: "Delivery attempt failed",
    help: "The carrier tried to deliver but could not (nobody home, no access): the customer can arrange another try.",
  },
];

const PAYMENT_REMINDER_FIELDS: Field[] = [
  {
    kind: "check",
    path: "reminderOn",
    label: "Remind customers to pay an unpaid order",
    help: "Never sent if the order is paid or cancelled first. Messenger allows it only within 24 hours of the customer's Send to Messenger click, with no tag: after that it is skipped, and Deliveries says why.",
  },
  {
    kind: "text",
    path: "reminderDelay",
    label: "Send it after (minutes)",
    type: "number",
    disabled: ({ draft }) => !draft.reminderOn,
    help: "Counted from when the order was placed. The default 60 gives a customer paying right away time to do it; 5 to 1,380 (23 hours).",
    error: "paymentReminder",
  },
];

const tagOptions = ({ view }: Shown): Option[] => view.tagChoices.map((t) => ({ label: t, value: t }));
const PAST_WINDOW_FIELDS: Field[] = [
  {
    kind: "select",
    path: "pastWindow",
    label: "Receipts, shipping notices and delivery updates after 24 hours",
    options: [
      { label: "Hold them (do not send)", value: "hold" },
      { label: "Send them with a message tag (Meta may refuse it)", value: "send_tagged" },
    ],
    help: ({ draft }) => PAST_WINDOW_HELP[draft.pastWindow],
  },
  {
    kind: "group",
    when: ({ draft }) => draft.pastWindow === "send_tagged",
    fields: [
      { kind: "select", path: "receiptTag", label: "Tag of receipts", options: tagOptions, error: "tags.receipt" },
      { kind: "select", path: "shippingTag", label: "Tag of shipping notices and delivery updates", options: tagOptions, error: "tags.shipping" },
    ],
  },
];

const RESEND_OPTIONS: Option[] = [
  { label: "Try once more, later (no duplicates)", value: "once" },
  { label: "Do not send again", value: "never" },
  { label: "Keep trying until JoinChat answers (may send it twice)", value: "until_answered" },
];
/** One choice per automation the draft holds one for. */
const resendFields = (draft: Draft): Field[] =>
  (Object.keys(draft.resendUnanswered) as (keyof Draft["resendUnanswered"])[]).map((a) => ({
    kind: "select",
    path: `resendUnanswered.${a}`,
    label: ({ view }) => labelOf(view.automations, a),
    options: RESEND_OPTIONS,
    error: `resendUnanswered.${a}`,
  }));

const PROTECTION_FIELDS: Field[] = [
  {
    kind: "check",
    path: "promotionPause",
    label: "Pause promotions when JoinChat refuses too many",
    help: "When, over the last 24 hours, at least 20 welcome coupons and recalls were answered by JoinChat and more than 30% of them were refused, promotions stop: those that come due are skipped, with the reason, in Deliveries (not held for later: a recall sent hours late helps no one). Receipts and shipping notices keep going. Promotions resume by themselves as the refusals age out of the 24 hours, or when you resume them.",
  },
];

const RESULTS_FIELDS: Field[] = [
  {
    kind: "select",
    path: "attribution",
    label: "Count an order as recovered when",
    options: [
      { label: "It completes the recalled checkout (strict)", value: "strict" },
      { label: "The same customer orders within some days of a recall (window)", value: "window" },
      { label: "The same customer orders within some days of a click on a message button (click)", value: "click" },
    ],
    help: ({ draft }) => ATTRIBUTION_HELP[draft.attribution],
  },
  {
    kind: "text",
    path: "windowDays",
    label: "Days after a recall or click",
    type: "number",
    when: ({ draft }) => draft.attribution !== "strict",
    help: "1 to 30 days.",
    error: "results.windowDays",
  },
  {
    kind: "text",
    path: "holdoutPercent",
    label: "Holdout: checkouts that get no recall (%)",
    type: "number",
    error: "results.holdoutPercent",
    help: "0 to 50. This share of abandoned checkouts is picked at random (fixed per checkout) when its first recall comes due, and none of its recalls is sent. Results then compare how often each group ordered: the difference is what the recalls add. Some customers in the holdout would have bought after a recall, so keep it small (10–20%) and turn it back to 0 once you have your answer.",
  },
];

const COUPON_FIELDS: Field[] = [
  {
    kind: "select",
    path: "couponMode",
    label: "Coupon mode",
    options: [
      { label: "The same code for everyone", value: "static" },
      { label: "A unique single-use code per customer", value: "unique" },
    ],
  },
  {
    kind: "text",
    path: "couponCode",
    label: "Coupon code",
    help: ({ draft }) => (draft.couponMode === "unique" ? "Sent when a unique code cannot be made." : undefined),
    error: "couponCode",
  },
  {
    kind: "group",
    when: ({ draft }) => draft.couponMode === "unique",
    fields: [
      { kind: "text", path: "prefix", label: "Code prefix", error: "uniqueCoupon.prefix" },
      { kind: "text", path: "percentage", label: "Percent off", type: "number", error: "uniqueCoupon.percentage" },
      { kind: "text", path: "validDays", label: "Valid for (days)", type: "number", error: "uniqueCoupon.validDays" },
    ],
  },
];

const SIGNUP_REWARD_FIELDS: Field[] = [
  { kind: "text", path: "points", label: "Loyalty points for signing up", type: "number", help: "Leave empty to say nothing about points.", error: "signupReward.points" },
  {
    kind: "group",
    fields: [
      { kind: "text", path: "creditAmount", label: "Store credit amount", placeholder: "e.g. 5.00", help: "Leave empty for none.", error: "signupReward.storeCredit.amount" },
      { kind: "text", path: "creditCurrency", label: "Currency", placeholder: "USD", error: "signupReward.storeCredit.currency" },
      { kind: "text", path: "creditDays", label: "Expires after (days)", type: "number", help: "Empty: never.", error: "signupReward.storeCredit.expiresInDays" },
    ],
  },
];

const RECIPIENT_FIELDS: Field[] = [
  { kind: "check", path: "optInEmail", label: "Reach customers by their email address" },
  { kind: "check", path: "optInPhone", label: "Reach customers by their phone number" },
];

/** A section of fields alone, declared; the sections with parts of their own are written out in the page. */
interface FieldSection {
  id: SectionId;
  title: string;
  description: string;
  fields: (draft: Draft) => Field[];
  /** A line under the fields. */
  note?: string;
  /** Shown after the links' list, with the welcome message's offers. */
  offers?: true;
}

const FIELD_SECTIONS: FieldSection[] = [
  { id: "automations", title: "Automations", description: "Which store events send a message.", fields: () => AUTOMATION_FIELDS },
  {
    id: "deliveryUpdates",
    title: "Delivery updates",
    description:
      "A short message when the carrier reports a parcel's progress, to the customer who got the order's receipt or shipping notice, with a button to the tracking page. Each is off until you turn it on. They follow the shipping notice's rules after 24 hours and carry its tag.",
    fields: () => DELIVERY_UPDATE_FIELDS,
    note: "Only carriers that report their scans to Shopify (most with a tracking number from a known carrier) send these; other parcels get no update.",
  },
  {
    id: "paymentReminder",
    title: "Payment reminder",
    description:
      "For orders placed without paying yet (bank transfer, cash on delivery, manual payment): one reminder with a button to the order's status page, where the customer sees what is due and how to pay. Off until you turn it on.",
    fields: () => PAYMENT_REMINDER_FIELDS,
  },
  {
    id: "pastWindow",
    title: "After 24 hours",
    description:
      "Messenger lets a business message a customer freely for 24 hours after the customer's own action (here: their Send to Messenger click). Within it every message goes untagged. Welcome coupons and recalls are promotions: they never go out after it, and neither does a payment reminder.",
    fields: () => PAST_WINDOW_FIELDS,
  },
  {
    id: "resend",
    title: "When JoinChat does not answer",
    description:
      "JoinChat has no way to tell the app a message was already sent: when it does not answer in time, the customer may have got the message. By default the app tries once more, a minute later, and then stops, so nobody gets a message twice; Deliveries lists such a message as unknown, with a button to send it again.",
    fields: resendFields,
  },
  {
    id: "protection",
    title: "Protect your page",
    description:
      "Meta restricts Facebook pages whose messages draw too much negative feedback. When JoinChat refuses a promotion (the customer blocked your page or never opted in), that is the warning sign the app sees.",
    fields: () => PROTECTION_FIELDS,
  },
  {
    id: "results",
    title: "Results",
    description: "How the Results tab credits orders to abandoned-checkout recalls, and whether it keeps a comparison group to show what the recalls really add.",
    fields: () => RESULTS_FIELDS,
  },
  {
    id: "coupon",
    title: "Welcome coupon",
    description: "One code for everyone, or a single-use code per customer created in your Shopify discounts (needs the app installed from Shopify).",
    fields: () => COUPON_FIELDS,
    offers: true,
  },
  {
    id: "signupReward",
    title: "Signup reward",
    description:
      "What a new customer gets besides the coupon, said in the welcome message. Loyalty points are only a number the message tells them (your own programme credits them). Store credit is added to the customer's account in Shopify by the app, once per customer, and they spend it at checkout.",
    fields: () => SIGNUP_REWARD_FIELDS,
    note: "Store credit needs the app installed from Shopify with its permission to add store credit (approve the app's updated permissions if Shopify asks). If it cannot be added, the welcome message goes without it and Deliveries says why.",
    offers: true,
  },
];

/** The recall steps to show: one per delay typed, and any step past them that still has a coupon (for its problem to show). */
function recallStepsOf(d: Draft): (number | undefined)[] {
  const delays = recallDelaysOf(d);
  const lastCoupon = d.recallCoupons.reduce((last, c, i) => (c.trim() ? i + 1 : last), 0);
  return Array.from({ length: Math.max(delays.length, lastCoupon) }, (_, i) => delays[i]);
}

export function SettingsPage({ notify, onError, onSaved, active }: PageProps & { onSaved(shop: ShopView): void; active: boolean }) {
  const [view, setView] = useState<ShopView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  // What is being saved: one section (its own button), or every changed one (App Bridge's save bar).
  const [saving, setSaving] = useState<readonly SectionId[] | null>(null);
  // The server's last refusal, every problem by its field.
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [domains, setDomains] = useState<LinkDomain[] | null>(null);
  // The checklist is read again after a save, and each time the page comes back into view.
  const [checks, setChecks] = useState(0);
  useEffect(() => setChecks((n) => n + 1), [active]);
  const [customTexts, setCustomTexts] = useState<string[]>([]);
  // Each saved recall step as it goes out, read again after a save and when the page comes back (its texts are edited in Templates).
  const [recallPreviews, setRecallPreviews] = useState<Preview[]>([]);
  useEffect(() => {
    if (!view || !active) return;
    const steps = view.settings.abandonedDelaysMinutes.map((_, i) => i + 1);
    Promise.all(steps.map((step) => api<Preview>("POST", "/preview", { automation: "abandoned", step }))).then(setRecallPreviews, onError);
  }, [view, active]);

  useEffect(() => {
    api<ShopView>("GET", "/shop").then((v) => (setView(v), setDraft(draftOf(v.settings))), onError);
    api<{ domains: LinkDomain[] }>("GET", "/link-domains").then((r) => setDomains(r.domains), onError);
  }, []);
  if (!view || !draft)
    return (
      <Card>
        <SkeletonBodyText lines={8} />
      </Card>
    );

  const saved = draftOf(view.settings);
  const errorFor = (field: string) => {
    const own = problems.filter((p) => p.field === field || p.field.startsWith(`${field}.`)).map((p) => p.message);
    return own.length ? own.join("; ") : undefined;
  };
  const fields = (specs: Field[]) => renderFields<Draft, Shown>(specs, { context: { draft, view }, onChange: setDraft, errorFor });
  const dirtySections = SECTION_IDS.filter((id) => isDirty(id, draft, saved));
  const embedded = appBridge() !== undefined;

  /** Saves the sections `ids` alone, in one change: other sections' unsaved edits stay in the form. */
  async function save(ids: readonly SectionId[]) {
    setSaving(ids);
    try {
      const shop = await api<ShopView>("PUT", "/settings", sectionsChange(draft!, ids));
      setView(shop);
      setDraft(afterSave(draft!, draftOf(shop.settings), ids));
      setProblems((now) => now.filter((p) => !ids.includes(sectionOfField(p.field)!)));
      onSaved(shop);
      setChecks((n) => n + 1);
      notify("Settings saved");
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.problems.length) {
        // The refusal replaces the marks of the sections saved; other sections keep theirs.
        setProblems((now) => [...now.filter((p) => !ids.includes(sectionOfField(p.field)!)), ...err.problems]);
        notify(err.problems.length === 1 ? `Not saved: ${err.message}` : `Not saved: ${err.problems.length} fields need a change, each marked (${err.message})`, true);
      } else onError(err);
    } finally {
      setSaving(null);
    }
  }
  const discard = (ids: readonly SectionId[]) => {
    setDraft(afterSave(draft, saved, ids));
    setProblems((now) => now.filter((p) => !ids.includes(sectionOfField(p.field)!)));
  };
  /** A section's save: its own buttons standalone; embedded, the save bar below saves it with the others changed. */
  const saveOf = (id: SectionId): SectionSave => ({
    buttons: !embedded,
    dirty: dirtySections.includes(id),
    saving: saving?.includes(id) ?? false,
    problems: problems.filter((p) => sectionOfField(p.field) === id).length,
    onSave: () => void save([id]),
    onDiscard: () => discard([id]),
  });

  const fieldSection = (f: FieldSection) => (
    <SettingsSection key={f.id} id={f.id} title={f.title} description={f.description} save={saveOf(f.id)}>
      <FormLayout>
        {fields(f.fields(draft))}
        {f.note && (
          <Text as="p" tone="subdued">
            {f.note}
          </Text>
        )}
      </FormLayout>
    </SettingsSection>
  );

  const [automationsSection, ...otherSections] = FIELD_SECTIONS.filter((f) => !f.offers);

  // Switching language: the texts the shop wrote itself stay as they are.
  const chooseLanguage = async (language: Draft["language"]) => {
    setDraft({ ...draft, language });
    if (language === view.settings.language) return setCustomTexts([]);
    const templates = await api<{ templates: { automation: string; custom: boolean; key: string }[] }>("GET", "/templates").catch(() => null);
    setCustomTexts([...new Set((templates?.templates ?? []).filter((t) => t.custom).map((t) => labelOf(view.automations, t.automation).toLowerCase()))]);
  };
  return (
    <Layout>
      <Layout.Section>
        <BlockStack gap="400">
          <PromotionsBanner onError={onError} refreshKey={checks} onResumed={() => setChecks((n) => n + 1)} />
          <SetupChecklist onError={onError} refreshKey={checks} />
        </BlockStack>
      </Layout.Section>
      <SettingsSection
        id="joinchat"
        title="JoinChat"
        description="From JoinChat → Settings → API. The secret signs every message; it is stored encrypted and never shown again."
        save={saveOf("joinchat")}
      >
        <FormLayout>
          {fields(JOINCHAT_FIELDS)}
          <InlineStack gap="200" blockAlign="center">
            {/* _top: the theme editor is Shopify admin itself, not a page for the app's frame. */}
            <Button url={view.appEmbedUrl} target="_top">
              Enable the app embed in your theme
            </Button>
            <Text as="span" tone="subdued">
              Opens the theme editor at App embeds with JoinChat Messenger to switch on, then Save.
            </Text>
          </InlineStack>
        </FormLayout>
      </SettingsSection>

      {automationsSection && fieldSection(automationsSection)}

      <SettingsSection
        id="recall-steps"
        title="Abandoned-checkout recall steps"
        description="One recall per delay set under Automations. Each has its own text (edit them in Templates › Abandoned checkout: the first, the second, and the last, which any later recall uses too) and may carry its own coupon: its text then gives the code, and its checkout button opens the checkout with the code applied. Use a code from your Shopify discounts; leave it empty for none."
        save={saveOf("recallSteps")}
      >
        <BlockStack gap="500">
          {/* A problem of the list as a whole; each step's own shows under its field. */}
          {problems
            .filter((p) => p.field === "recallSteps" || p.field === "recallSteps.coupons")
            .map((p) => (
              <Text as="p" tone="critical" key={p.field}>
                {p.message}
              </Text>
            ))}
          {recallStepsOf(draft).map((delay, i) => {
            const preview = recallPreviews[i];
            return (
              <BlockStack gap="200" key={i}>
                <Text as="h3" variant="headingSm">
                  {`Recall ${i + 1}: ${delay === undefined ? "no delay set, so it is not sent" : `${delay} minutes after the checkout`}`}
                </Text>
                <TextField
                  label={`Discount code for recall ${i + 1}`}
                  value={draft.recallCoupons[i] ?? ""}
                  onChange={(code) => setDraft({ ...draft, recallCoupons: Object.assign([...draft.recallCoupons], { [i]: code }).map((c) => c ?? "") })}
                  autoComplete="off"
                  placeholder="None"
                  error={errorFor(`recallSteps.coupons.${i}`)}
                />
                {/* Drawn only while Settings shows: the Templates page's previews are the page's others. */}
                {active && preview && (
                  <div data-testid={`recall-preview-${i + 1}`}>
                    <MessengerPreview message={preview.message} />
                  </div>
                )}
              </BlockStack>
            );
          })}
          <Text as="p" tone="subdued">
            The previews show each recall as saved, for a cart of one item.
          </Text>
        </BlockStack>
      </SettingsSection>

      {otherSections.map(fieldSection)}

      <SettingsSection
        id="links"
        title="Links in your messages"
        description="JoinChat only lets a message link to domains on your bot's allow-list (JoinChat → Settings). Add each domain below there; the list grows as your messages link to checkout, order-status and carrier pages."
      >
        {domains === null ? (
          <SkeletonBodyText lines={2} />
        ) : (
          <BlockStack gap="200">
            {domains.map((d) => (
              <InlineStack key={d.domain} gap="200" blockAlign="center">
                <Text as="span" fontWeight="semibold">
                  <code>{d.domain}</code>
                </Text>
                <Text as="span" tone="subdued">
                  {d.automations.map((a) => labelOf(view.automations, a)).join(", ")}
                </Text>
              </InlineStack>
            ))}
          </BlockStack>
        )}
      </SettingsSection>

      {FIELD_SECTIONS.filter((f) => f.offers).map(fieldSection)}

      <SettingsSection
        id="bot-buttons"
        title="Buttons into your JoinChat bot"
        description="Each message below can carry one more button that starts a block or a flow you built in your JoinChat bot, so a customer can reach you or your bot in one tap. Take the block's or flow's number from JoinChat's bot editor. Receipts cannot carry one: JoinChat's receipt has no buttons."
        save={saveOf("botButtons")}
      >
        <BlockStack gap="400">
          {BOT_BUTTONS.map((b) => {
            const value = draft.bot[b.id];
            const setButton = (change: Partial<BotButtonDraft>) => setDraft({ ...draft, bot: { ...draft.bot, [b.id]: { ...value, ...change } } });
            return (
              <FormLayout.Group condensed key={b.id}>
                <TextField
                  label={`${labelOf(view.automations, b.id)}: button title`}
                  value={value.title}
                  onChange={(title) => setButton({ title })}
                  autoComplete="off"
                  placeholder={b.example}
                  helpText="At most 20 characters. Empty: no button."
                  error={errorFor(`botButtons.${b.id}.title`)}
                />
                <Select
                  label="It starts"
                  options={[
                    { label: "A block", value: "block" },
                    { label: "A flow", value: "flow" },
                  ]}
                  value={value.start}
                  onChange={(start) => setButton({ start: start as BotButtonDraft["start"] })}
                  error={errorFor(`botButtons.${b.id}.start`)}
                />
                <TextField
                  label={value.start === "block" ? "Block id" : "Flow id"}
                  value={value.id}
                  onChange={(id) => setButton({ id })}
                  autoComplete="off"
                  error={errorFor(`botButtons.${b.id}.id`)}
                />
              </FormLayout.Group>
            );
          })}
        </BlockStack>
      </SettingsSection>

      <SettingsSection
        id="recipients"
        title="Recipients and language"
        description="Customers are reached through the uuid their Send to Messenger click linked; email and phone may be used too if they agreed to it."
        save={saveOf("recipients")}
      >
        <BlockStack gap="300">
          {fields(RECIPIENT_FIELDS)}
          <Select
            label="Message language"
            options={[
              { label: "English", value: "en" },
              { label: "中文", value: "zh" },
            ]}
            value={draft.language}
            onChange={(v) => void chooseLanguage(v as Draft["language"])}
            helpText={
              customTexts.length
                ? `Texts you changed yourself stay as you wrote them (${customTexts.join(", ")}); the others switch to the new language.`
                : "The default texts switch to this language."
            }
          />
        </BlockStack>
      </SettingsSection>

      {/* Embedded: App Bridge's save bar saves every section changed, in one go. */}
      {embedded && (
        <SaveControls
          id="settings-save-bar"
          label="Save settings"
          dirty={dirtySections.length > 0}
          saving={saving !== null}
          onSave={() => void save(dirtySections)}
          onDiscard={() => discard(SECTION_IDS)}
        />
      )}
    </Layout>
  );
}

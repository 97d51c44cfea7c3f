import { decideSend, MESSAGING_WINDOW_MS, type SendFacts, type SendRow, type SendVerdict } from "../../src/policy/send-decision";

const NOW = new Date("2026-12-06T12:00:00Z");
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

const receipt: SendRow = { automation: "receipt", promotional: false, attempts: 1, createdAt: ago(HOUR) };
const recall: SendRow = { automation: "abandoned", promotional: true, attempts: 1, createdAt: ago(HOUR) };
const shipping: SendRow = { automation: "shipping", promotional: false, attempts: 1, createdAt: ago(HOUR) };
const test: SendRow = { automation: "manual", promotional: false, attempts: 1, createdAt: ago(HOUR) };

const facts = (f: Partial<SendFacts> = {}): SendFacts => ({
  now: NOW,
  windowOpenedAt: ago(HOUR),
  shop: { pageId: "123", hasSecret: true, uninstalled: false, pastWindow: "hold", pastWindowTag: "POST_PURCHASE_UPDATE" },
  switchedOn: true,
  heldOut: false,
  paused: null,
  retryHours: 24,
  leaseMs: 60_000,
  promotionalText: [],
  ...f,
});
const closed = { windowOpenedAt: ago(MESSAGING_WINDOW_MS + 1) };
type ShopFacts = Extract<SendFacts["shop"], { pageId: unknown }>;
const shop = (s: Partial<ShopFacts>): Pick<SendFacts, "shop"> => ({
  shop: { pageId: "123", hasSecret: true, uninstalled: false, pastWindow: "hold", pastWindowTag: "POST_PURCHASE_UPDATE", ...s },
});
const ended = (state: string, reason: string) => expect.objectContaining({ send: false, state, reason }) as SendVerdict;

/** Each case: the row, what differs from a plain due message's facts, the verdict. */
const CASES: [string, SendRow, Partial<SendFacts>, SendVerdict][] = [
  ["inside the window a receipt goes untagged", receipt, {}, { send: true, tag: null }],
  ["inside the window a promotion goes untagged", recall, {}, { send: true, tag: null }],
  ["past the window a receipt is held by default", receipt, closed, ended("skipped", "outside_window")],
  ["a receipt whose window the app cannot know is held by default", receipt, { windowOpenedAt: null }, ended("skipped", "outside_window")],
  [
    "past the window a receipt goes with the tag the shop chose, when it chose to send",
    receipt,
    { ...closed, ...shop({ pastWindow: "send_tagged", pastWindowTag: "ACCOUNT_UPDATE" }) },
    { send: true, tag: "ACCOUNT_UPDATE" },
  ],
  ["past the window a promotion is skipped, whatever the shop chose", recall, closed, ended("skipped", "window_closed")],
  ["a promotion to someone who never opted in is skipped", recall, { windowOpenedAt: null }, ended("skipped", "window_closed")],
  ["the window closes at exactly 24 hours", recall, { windowOpenedAt: ago(MESSAGING_WINDOW_MS) }, ended("skipped", "window_closed")],
  [
    "a held-out recall is skipped before anything else, its later steps too",
    recall,
    { ...closed, heldOut: true },
    expect.objectContaining({ send: false, state: "skipped", reason: "holdout", alsoSkipSubject: true }) as SendVerdict,
  ],
  ["a receipt retried past its horizon is a dead letter", { ...receipt, attempts: 3, createdAt: ago(25 * HOUR) }, {}, ended("failed", "gave_up")],
  ["a receipt's first try is not cut by the horizon", { ...receipt, attempts: 1, createdAt: ago(25 * HOUR) }, {}, { send: true, tag: null }],
  ["a promotion's horizon is its window: skipped past it before the horizon counts", { ...recall, attempts: 3 }, closed, ended("skipped", "window_closed")],
  ["a secret that cannot be opened fails the message", receipt, { shop: { unreadable: "key changed" } }, ended("failed", "secret_unreadable")],
  ["no page id: failed, to retry once it is set", receipt, shop({ pageId: null }), ended("failed", "no_credentials")],
  ["no secret: failed, to retry once it is set", receipt, shop({ hasSecret: false }), ended("failed", "no_credentials")],
  ["an uninstalled shop's message is cancelled", receipt, shop({ uninstalled: true }), ended("cancelled", "uninstalled")],
  ["an automation switched off since is cancelled", receipt, { switchedOn: false }, ended("cancelled", "switched_off")],
  ["paused promotions are skipped", recall, { paused: "promotions paused: 9 of 20 refused" }, ended("skipped", "promotions_paused")],
  ["a pause never holds a receipt", receipt, { paused: "promotions paused: 9 of 20 refused" }, { send: true, tag: null }],
  ["a test message goes untagged inside the window", test, {}, { send: true, tag: null }],
  ["a test message past the window goes untagged too, whatever the shop chose", test, { ...closed, ...shop({ pastWindowTag: null }) }, { send: true, tag: null }],
  [
    "a receipt whose window the app cannot know goes with the chosen tag only when the shop chose to send",
    receipt,
    { windowOpenedAt: null, ...shop({ pastWindow: "send_tagged", pastWindowTag: "CONFIRMED_EVENT_UPDATE" }) },
    { send: true, tag: "CONFIRMED_EVENT_UPDATE" },
  ],
  [
    "past the window a shipping notice that reads as a promotion is held, not tagged, even when the shop chose to send",
    shipping,
    { ...closed, ...shop({ pastWindow: "send_tagged" }), promotionalText: ["FLASH SALE", "SAVE30"] },
    ended("skipped", "promotional_text"),
  ],
  [
    "a promotional-looking notice whose recipient's window the app cannot know is held too",
    shipping,
    { windowOpenedAt: null, ...shop({ pastWindow: "send_tagged" }), promotionalText: ["sale"] },
    ended("skipped", "promotional_text"),
  ],
  [
    "past the window, a plain shipping notice goes with the chosen tag",
    shipping,
    { ...closed, ...shop({ pastWindow: "send_tagged" }) },
    { send: true, tag: "POST_PURCHASE_UPDATE" },
  ],
  ["a shop that holds past the window holds it for the window, whatever its words", shipping, { ...closed, promotionalText: ["sale"] }, ended("skipped", "outside_window")],
  ["inside the window its words do not hold it: untagged, as any message may go", shipping, { promotionalText: ["sale"] }, { send: true, tag: null }],
  [
    "a pause holds a receipt that would go tagged past the window",
    receipt,
    { ...closed, ...shop({ pastWindow: "send_tagged" }), paused: "promotions paused: 9 of 20 refused" },
    ended("skipped", "tagged_paused"),
  ],
];

describe("decideSend: whether a due message goes, and how", () => {
  it.each(CASES)("%s", (_name, row, f, verdict) => {
    expect(decideSend(row, facts(f))).toEqual(verdict);
  });

  it("keeps the recorded detail an operator reads beside the code", () => {
    expect(decideSend(receipt, facts({ windowOpenedAt: null }))).toMatchObject({
      detail: expect.stringMatching(/^outside the 24-hour Messenger window as far as the app knows/) as string,
    });
    expect(decideSend(receipt, facts(closed))).toMatchObject({ detail: expect.stringMatching(/^outside the 24-hour Messenger window: held/) as string });
    expect(decideSend(shipping, facts({ ...closed, ...shop({ pastWindow: "send_tagged" }), promotionalText: ["SAVE30", "sale"] }))).toMatchObject({
      detail: 'looks promotional ("SAVE30", "sale") and Meta forbids promotions under a tag: held past the 24-hour window instead of tagged (edit the template)',
    });
    expect(decideSend(recall, facts({ paused: "promotions paused: 9 of 20 refused" }))).toMatchObject({ detail: "promotions paused: 9 of 20 refused" });
    expect(decideSend({ ...receipt, attempts: 3, createdAt: ago(25 * HOUR) }, facts())).toMatchObject({
      detail: "gave up after 2 attempts: JoinChat could not be reached until past the message's retry horizon",
    });
  });
});

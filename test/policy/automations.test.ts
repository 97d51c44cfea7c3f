import { SHOP_SET_FLAGS, shopSetChange } from "../../src/cli/commands";
import { AUTOMATION_NAMES, AUTOMATIONS, BOT_BUTTON_AUTOMATIONS, TAG_SETTING_NAMES, TAG_SETTINGS, tagOf, type AutomationName } from "../../src/policy/automations";
import { checkSettingsChange } from "../../src/store/settings-change";
import { shopSettingsSchema } from "../../src/store/shop-settings";

const entry = (a: AutomationName): { tag: { setting: string; default: string } | null; botButton: unknown } => AUTOMATIONS[a];
const button = { title: "Ask us", start: "block", id: 7 };

describe("the catalog's bot buttons and tag settings, which the settings schemas and shop:set read", () => {
  it("gives a bot button to the automations whose entry says so, and stores and takes one for each of them alone", () => {
    expect(BOT_BUTTON_AUTOMATIONS).toEqual(AUTOMATION_NAMES.filter((a) => entry(a).botButton === true));
    expect(BOT_BUTTON_AUTOMATIONS).toEqual(["welcome", "abandoned", "shipping"]);
    const stored = shopSettingsSchema.parse({ botButtons: Object.fromEntries(AUTOMATION_NAMES.map((a) => [a, button])) });
    expect(Object.keys(stored.botButtons)).toEqual(BOT_BUTTON_AUTOMATIONS);
    for (const a of BOT_BUTTON_AUTOMATIONS) expect(checkSettingsChange({ botButtons: { [a]: button } }, { couponMode: "static" })).toMatchObject({ ok: true });
  });

  it("refuses a button for an automation that cannot carry one: with its entry's words when it has them, else as an unknown key", () => {
    expect(checkSettingsChange({ botButtons: { receipt: button } }, { couponMode: "static" })).toEqual({
      ok: false,
      problems: [expect.objectContaining({ field: "botButtons.receipt", message: "a receipt cannot carry a button: JoinChat's receipt template has none" })],
    });
    expect(checkSettingsChange({ botButtons: { receipt: null } }, { couponMode: "static" })).toEqual({
      ok: true,
      change: { botButtons: { welcome: undefined, abandoned: undefined, shipping: undefined } },
    });
    expect(checkSettingsChange({ botButtons: { delivery: button } }, { couponMode: "static" })).toMatchObject({ ok: false });
  });

  it("has each tag setting chosen by some transactional automation, one default for all its automations, and a shop:set flag of its own", () => {
    const tagged = AUTOMATION_NAMES.flatMap((a) => (entry(a).tag ? [entry(a).tag!] : []));
    expect(TAG_SETTING_NAMES).toEqual([...new Set(tagged.map((t) => t.setting))]);
    for (const t of TAG_SETTING_NAMES) {
      expect(new Set(tagged.filter((g) => g.setting === t).map((g) => g.default)).size).toBe(1);
      expect(tagOf(t, { tags: {} })).toBe(tagged.find((g) => g.setting === t)!.default);
      expect(tagOf(t, { tags: { [t]: "ACCOUNT_UPDATE" } })).toBe("ACCOUNT_UPDATE");
      expect(SHOP_SET_FLAGS).toHaveProperty(TAG_SETTINGS[t].flag);
      expect(shopSetChange(["--shop", "demo-store.myshopify.com", `--${TAG_SETTINGS[t].flag}`, "CONFIRMED_EVENT_UPDATE"]).change).toEqual({
        tags: { [t]: "CONFIRMED_EVENT_UPDATE" },
      });
    }
    // The flags operators' scripts use, as the README names them.
    expect(TAG_SETTING_NAMES.map((t) => TAG_SETTINGS[t].flag)).toEqual(["receipt-tag", "shipping-tag"]);
  });

  it("keeps the receipt's topic as its own setting, stored where it always was", () => {
    expect(shopSettingsSchema.parse({}).receiptTopic).toBe("orders/create");
    expect(shopSettingsSchema.parse({ receiptTopic: "orders/paid" }).receiptTopic).toBe("orders/paid");
    expect(checkSettingsChange({ receiptTopic: "orders/fulfilled" }, { couponMode: "static" })).toMatchObject({ ok: false, problems: [{ field: "receiptTopic" }] });
  });
});

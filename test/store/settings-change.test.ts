import { shopSetChange } from "../../src/cli/commands";
import { checkSettingsChange } from "../../src/store/settings-change";

const SHOP = ["--shop", "demo.myshopify.com"];

/** Every problem the admin names for a change over a shop whose coupon is the same for everyone (src/http/admin-api.ts sends them all). */
function adminProblems(change: unknown, couponMode: "static" | "unique" = "static"): { field: string; message: string }[] {
  const r = checkSettingsChange(change, { couponMode });
  return r.ok ? [] : r.problems;
}

/** The admin's first problem with a change: the field at fault and its message, or null when it takes it. */
const adminRefusal = (change: unknown) => adminProblems(change)[0] ?? null;

/** The CLI's one-line refusal of shop:set's flags, or null when it takes them. */
function cliRefusal(...flags: string[]): string | null {
  try {
    shopSetChange([...SHOP, ...flags]);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

describe("one settings schema for the admin and the CLI", () => {
  it.each([
    ["digits", "123456789012345", null],
    ["32 digits", "1".repeat(32), null],
    ["33 digits (the CLI took any length before)", "1".repeat(33), "must be the numeric Facebook page id"],
    ["a name", "my page", "must be the numeric Facebook page id"],
    ["an exponent", "1e5", "must be the numeric Facebook page id"],
    ["nothing", "", "must be the numeric Facebook page id"],
  ])("the page id: %s is judged alike by both", (_case, pageId, refused) => {
    expect(adminRefusal({ pageId })).toEqual(refused && { field: "pageId", message: refused });
    expect(cliRefusal("--page-id", pageId)).toBe(refused && `--page-id ${refused}`);
  });

  it("refuses eleven recall delays in the CLI as in the admin, and delays that do not increase", () => {
    const eleven = Array.from({ length: 11 }, (_, i) => (i + 1) * 60);
    expect(adminRefusal({ abandonedDelaysMinutes: eleven })).toEqual({ field: "abandonedDelaysMinutes", message: "at most 10 recalls" });
    expect(cliRefusal("--abandoned-delays", eleven.join(","))).toBe("--abandoned-delays: at most 10 recalls");
    expect(cliRefusal("--abandoned-delays", "60,30")).toBe("--abandoned-delays: delays must increase, e.g. 60, 480, 1380");
    expect(cliRefusal("--abandoned-delays", "0.5,60,1380")).toBeNull();
    expect(cliRefusal("--abandoned-delays", "60;480")).toBe("--abandoned-delays must be minutes, comma-separated, e.g. 60,480,1380");
  });

  it("words the coupon's rules the same for both, the CLI naming its flag", () => {
    expect(adminRefusal({ couponCode: "10% OFF" })).toEqual({ field: "couponCode", message: "letters, digits, - and _ only" });
    expect(cliRefusal("--coupon-code", "10% OFF")).toBe("--coupon-code: letters, digits, - and _ only");
    expect(adminRefusal({ couponMode: "random" })).toEqual({ field: "couponMode", message: "must be static or unique" });
    expect(cliRefusal("--coupon-mode", "random")).toBe("--coupon-mode must be static or unique");
    expect(cliRefusal("--joinchat-secret", "")).toBe("--joinchat-secret must not be empty");
  });

  it("hands the CLI the change as the admin would store it", () => {
    expect(shopSetChange([...SHOP, "--page-id", "42", "--joinchat-secret", "s", "--coupon-code", "WELCOME10", "--abandoned-delays", "30,120", "--coupon-mode", "unique"])).toEqual({
      shop: "demo.myshopify.com",
      change: { pageId: "42", joinchatSecret: "s", couponCode: "WELCOME10", abandonedDelaysMinutes: [30, 120], couponMode: "unique" },
      flagsGiven: 6,
    });
  });

  it("refuses a tag Meta retired, from the CLI as from the admin, and hands over the past-window choice", () => {
    expect(cliRefusal("--receipt-tag", "PAYMENT_UPDATE")).toMatch(/^--receipt-tag: PAYMENT_UPDATE is not a tag the app sends with: Meta retired it/);
    expect(cliRefusal("--shipping-tag", "SHIPPING_UPDATE")).toMatch(/^--shipping-tag: SHIPPING_UPDATE is not a tag the app sends with/);
    expect(adminRefusal({ tags: { receipt: "PAYMENT_UPDATE" } })).toMatchObject({ field: "tags.receipt" });
    expect(cliRefusal("--past-window", "always")).toMatch(/^--past-window/);
    expect(shopSetChange([...SHOP, "--past-window", "send_tagged", "--receipt-tag", "ACCOUNT_UPDATE"]).change).toEqual({
      pastWindow: "send_tagged",
      tags: { receipt: "ACCOUNT_UPDATE" },
    });
  });
});

describe("settings that cannot work are refused, every problem at once, each on its field, in plain words", () => {
  it("refuses a recall step at 23 hours and 1 minute or later, naming the 24-hour window; 23 hours is taken", () => {
    expect(adminProblems({ abandonedDelaysMinutes: [60, 480, 1380] })).toEqual([]);
    expect(adminProblems({ abandonedDelaysMinutes: [60, 1381, 2880] })).toEqual([
      {
        field: "abandonedDelaysMinutes.1",
        message: expect.stringMatching(/^1381 minutes is past 23 hours: a recall goes only within 24 hours of the customer's Send to Messenger click/),
      },
      { field: "abandonedDelaysMinutes.2", message: expect.stringMatching(/^2880 minutes is past 23 hours.*at most 1,380 minutes$/) },
    ]);
  });

  it("takes the SDK script only from JoinChat's own domain, over https", () => {
    for (const sdkUrl of ["https://joinchat.ai/js/analytics/sdk/15150c9d53ccc1eb21ffef1af5b6b184.js", "https://cdn.joinchat.ai/sdk.js", null])
      expect(adminProblems({ sdkUrl })).toEqual([]);
    const onJoinChat = "must be JoinChat's own script, on joinchat.ai (copy it from JoinChat → SDK management)";
    for (const sdkUrl of ["https://evil.example/sdk.js", "https://joinchat.ai.evil.example/sdk.js", "https://notjoinchat.ai/sdk.js"]) {
      expect(adminProblems({ sdkUrl })).toEqual([{ field: "sdkUrl", message: onJoinChat }]);
    }
    expect(adminProblems({ sdkUrl: "http://joinchat.ai/sdk.js" })).toEqual([{ field: "sdkUrl", message: expect.stringMatching(/^must be an https URL/) }]);
  });

  it("names a long coupon code's length limit, not the letters rule; a code of allowed letters only hears the letters rule", () => {
    expect(adminProblems({ couponCode: "A".repeat(700) })).toEqual([{ field: "couponCode", message: "is 700 characters: at most 255, Shopify's limit for a discount code" }]);
    expect(adminProblems({ couponCode: "A".repeat(255) })).toEqual([]);
    expect(adminProblems({ couponCode: "10% OFF" })).toEqual([{ field: "couponCode", message: "letters, digits, - and _ only" }]);
    expect(cliRefusal("--coupon-code", "B".repeat(700))).toBe("--coupon-code: is 700 characters: at most 255, Shopify's limit for a discount code");
  });

  it("refuses clearing the code everyone gets, saying why; with unique codes a cleared fallback stays cleared", () => {
    expect(adminProblems({ couponCode: null })).toEqual([
      { field: "couponCode", message: "must not be empty while everyone gets the same code: type the code, or choose a unique code per customer" },
    ]);
    expect(adminProblems({ couponCode: null }, "unique")).toEqual([]);
    expect(adminProblems({ couponCode: null, couponMode: "unique" })).toEqual([]);
    expect(adminProblems({ couponCode: null, couponMode: "static" }, "unique")).toHaveLength(1);
  });

  it("says a wrong kind of value in words, never zod's own text", () => {
    const problems = adminProblems({
      paymentReminder: { delayMinutes: null },
      results: { holdoutPercent: "ten", windowDays: 2.5 },
      automations: { welcome: "yes" },
      uniqueCoupon: { percentage: 150 },
      shopName: "",
      colour: "red",
    });
    expect(problems).toEqual([
      { field: "automations.welcome", message: "must be on or off (true or false)" },
      { field: "paymentReminder.delayMinutes", message: "must be a number" },
      { field: "uniqueCoupon.percentage", message: "must be at most 100" },
      { field: "shopName", message: "must not be empty (or none)" },
      { field: "results.windowDays", message: "whole days" },
      { field: "results.holdoutPercent", message: "must be a number" },
      { field: "colour", message: "is not a setting the app knows" },
    ]);
    for (const p of problems) expect(p.message).not.toMatch(/Invalid|expected|received/);
  });

  it("reports every problem of one change at once, each on its own field", () => {
    expect(adminProblems({ abandonedDelaysMinutes: [60, 1440], sdkUrl: "https://cdn.example.com/sdk.js", couponCode: null, pageId: "my page" }).map((p) => p.field)).toEqual([
      "pageId",
      "sdkUrl",
      "abandonedDelaysMinutes.1",
      "couponCode",
    ]);
  });

  it("prints every problem of shop:set at once, one line each naming its flag", () => {
    expect(cliRefusal("--page-id", "my page", "--coupon-code", "C".repeat(300), "--abandoned-delays", "60,1500", "--receipt-tag", "PAYMENT_UPDATE")?.split("\n")).toEqual([
      "--page-id must be the numeric Facebook page id",
      expect.stringMatching(/^--abandoned-delays: 1500 minutes is past 23 hours/),
      "--coupon-code: is 300 characters: at most 255, Shopify's limit for a discount code",
      expect.stringMatching(/^--receipt-tag: PAYMENT_UPDATE is not a tag the app sends with/),
    ]);
  });
});

describe("a recall step's coupon", () => {
  const problems = (change: unknown, recallCount = 3) => {
    const r = checkSettingsChange(change, { couponMode: "static", recallCount });
    return r.ok ? [] : r.problems;
  };

  it("takes a code per step, or none", () => {
    expect(problems({ recallSteps: { coupons: [null, "COMEBACK10", "LAST_15-X"] } })).toEqual([]);
    expect(problems({ recallSteps: { coupons: [] } })).toEqual([]);
  });

  it("refuses each wrong code on its own step's field, every one at once, with the other settings' problems", () => {
    expect(problems({ recallSteps: { coupons: ["10% OFF", null, "C".repeat(256), "EXTRA"] }, results: { windowDays: 99 } })).toEqual([
      { field: "recallSteps.coupons.0", message: "letters, digits, - and _ only" },
      { field: "recallSteps.coupons.2", message: "is 256 characters: at most 255, Shopify's limit for a discount code" },
      { field: "results.windowDays", message: "at most 30 days" },
      { field: "recallSteps.coupons.3", message: "there is no recall 4: the delays make 3 recalls; add a delay for it, or leave its coupon empty" },
    ]);
    expect(problems({ recallSteps: { coupons: [""] } })).toEqual([{ field: "recallSteps.coupons.0", message: "must not be empty" }]);
    expect(problems({ recallSteps: { coupons: "SAVE" } })).toEqual([{ field: "recallSteps.coupons", message: "must be a list: a discount code, or none (null), per recall" }]);
  });

  it("counts the steps by the delays of the same change, else the stored ones", () => {
    expect(problems({ abandonedDelaysMinutes: [60], recallSteps: { coupons: [null, "SAVE"] } })).toEqual([
      { field: "recallSteps.coupons.1", message: "there is no recall 2: the delays make 1 recall; add a delay for it, or leave its coupon empty" },
    ]);
    expect(problems({ abandonedDelaysMinutes: [60, 120], recallSteps: { coupons: [null, "SAVE"] } }, 1)).toEqual([]);
    // A step past the delays with no coupon is no problem.
    expect(problems({ recallSteps: { coupons: [null, null, null, null] } }, 1)).toEqual([]);
  });
});

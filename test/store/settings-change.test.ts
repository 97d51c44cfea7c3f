import { shopSetChange } from "../../src/cli/commands";
import { settingsChangeSchema } from "../../src/store/settings-change";

const SHOP = ["--shop", "demo.myshopify.com"];

/** The admin's answer to a change: the field at fault and its message (src/http/admin-api.ts sends both). */
function adminRefusal(change: unknown): { field: string; message: string } | null {
  const r = settingsChangeSchema.safeParse(change);
  return r.success ? null : { field: r.error.issues[0]!.path.join("."), message: r.error.issues[0]!.message };
}

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
    expect(cliRefusal("--abandoned-delays", "0.5,60,43200")).toBeNull();
    expect(cliRefusal("--abandoned-delays", "60,43201")).toBe("--abandoned-delays: each delay must be at most 30 days");
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

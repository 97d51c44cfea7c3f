import { subjectKey } from "../../src/store/keys";
import { keyPart } from "../../src/policy/key-part";
import { AUTOMATIONS } from "../../src/policy/automations";
import { recipientKeyOf } from "../../src/store/delivery-plan";

const SHOP = "demo-store.myshopify.com";

describe("keys built from payload values", () => {
  it("keep a real value as it is, so keys already stored do not change", () => {
    expect(AUTOMATIONS.shipping.key(SHOP, "5918291939462", "SF1234567890")).toBe(`shipping:${SHOP}:5918291939462:SF1234567890`);
    expect(subjectKey.checkout("a".repeat(200))).toBe(`checkout:${"a".repeat(200)}`);
  });

  it("bound a value too long for an index to a prefix and its sha256, telling values apart and reading back to the same key", () => {
    const long = "SF".padEnd(3_000, "7");
    const key = AUTOMATIONS.shipping.key(SHOP, "5918291939462", long);
    expect(key).toMatch(new RegExp(`^shipping:${SHOP}:5918291939462:SF7{98}~[0-9a-f]{64}$`));
    expect(AUTOMATIONS.shipping.key(SHOP, "5918291939462", `${long}8`)).not.toBe(key);
    expect(recipientKeyOf(SHOP, { email: `${long}@example.com` }).length).toBeLessThan(250);
    // A checkout token read back from its recall's key names the same checkout.
    const token = "t".repeat(1_000);
    expect(subjectKey.checkout(AUTOMATIONS.abandoned.parseKey(AUTOMATIONS.abandoned.key(SHOP, token, 2))!.checkoutToken)).toBe(subjectKey.checkout(token));
    expect(keyPart(keyPart(token))).toBe(keyPart(token));
  });
});

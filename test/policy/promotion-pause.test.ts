import { holdoutBucket, inHoldout } from "../../src/policy/holdout";
import { pauseWindowStart, promotionPause } from "../../src/policy/promotion-pause";

const since = new Date("2026-12-01T12:00:00Z");

describe("the promotion pause rule", () => {
  it.each([
    [19, 19, false, "fewer than 20 answered: too few to judge"],
    [20, 6, false, "30% refused is not more than 30%"],
    [20, 7, true, "35% refused"],
    [100, 31, true, "31% refused"],
    [100, 30, false, "exactly 30%"],
  ])("%i answered, %i refused: paused %s (%s)", (attempted, refused, paused) => {
    expect(promotionPause({ attempted, refused, since }, true).paused).toBe(paused);
  });

  it("never pauses a shop that turned the protection off", () => {
    expect(promotionPause({ attempted: 50, refused: 50, since }, false).paused).toBe(false);
  });

  it("counts the last 24 hours, or from the merchant's resume when that is later", () => {
    const now = new Date("2026-12-02T12:00:00Z");
    expect(pauseWindowStart(now, undefined).toISOString()).toBe("2026-12-01T12:00:00.000Z");
    expect(pauseWindowStart(now, "2026-12-02T09:30:00.000Z").toISOString()).toBe("2026-12-02T09:30:00.000Z");
    expect(pauseWindowStart(now, "2026-11-20T00:00:00.000Z").toISOString()).toBe("2026-12-01T12:00:00.000Z");
  });
});

describe("the holdout group", () => {
  it("is the same for the same shop and checkout, and differs between shops", () => {
    expect(holdoutBucket("a.myshopify.com", "tok")).toBe(holdoutBucket("a.myshopify.com", "tok"));
    const tokens = Array.from({ length: 50 }, (_, i) => `tok-${i}`);
    expect(tokens.map((t) => holdoutBucket("a.myshopify.com", t))).not.toEqual(tokens.map((t) => holdoutBucket("b.myshopify.com", t)));
  });

  it("holds out about the share asked: 20% of 10,000 checkouts within 1.5 points, none at 0%", () => {
    const tokens = Array.from({ length: 10_000 }, (_, i) => `checkout-${i}`);
    const held = tokens.filter((t) => inHoldout("shop.myshopify.com", t, 20)).length;
    // Binomial spread at n = 10,000, p = 0.2: sd 40, so 1.5 points (150) is nearly 4 sd.
    expect(Math.abs(held - 2000)).toBeLessThanOrEqual(150);
    expect(tokens.filter((t) => inHoldout("shop.myshopify.com", t, 0))).toHaveLength(0);
  });
});

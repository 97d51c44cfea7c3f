import { RateLimiter } from "../../src/http/rate-limit";
import { TestClock } from "../helpers/clock";

describe("RateLimiter (token bucket per key)", () => {
  it("allows a burst of perMinute, refuses the next, and refills at perMinute a minute", () => {
    const clock = new TestClock(Date.UTC(2026, 0, 1));
    const limiter = new RateLimiter(30, clock);
    const burst = Array.from({ length: 31 }, () => limiter.take("1.2.3.4|a.myshopify.com"));
    expect(burst.filter(Boolean)).toHaveLength(30);
    expect(burst[30]).toBe(false);
    clock.advanceMinutes(0.1); // 6 s: 3 tokens back
    expect([1, 2, 3, 4].map(() => limiter.take("1.2.3.4|a.myshopify.com"))).toEqual([true, true, true, false]);
  });

  it("keeps one bucket per key: another IP or shop is not slowed down", () => {
    const limiter = new RateLimiter(2, new TestClock());
    expect([limiter.take("ip1|a"), limiter.take("ip1|a"), limiter.take("ip1|a")]).toEqual([true, true, false]);
    expect(limiter.take("ip2|a")).toBe(true);
    expect(limiter.take("ip1|b")).toBe(true);
  });
});

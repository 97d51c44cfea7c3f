import type { IncomingMessage } from "node:http";
import { BodyBudget } from "../../src/http/body-budget";
import { clientAddress } from "../../src/http/client-address";

describe("BodyBudget", () => {
  it("gives each reader the budget divided by the readers, and refuses a reader past its share", () => {
    const budget = new BodyBudget(1000);
    const a = budget.open(() => {});
    expect(a.take(1000)).toBe(true);
    a.release();
    const b = budget.open(() => {});
    const c = budget.open(() => {});
    expect(b.take(500)).toBe(true);
    expect(b.take(1)).toBe(false);
    expect(c.take(400)).toBe(true);
    expect(budget.bytesHeld).toBe(900);
  });

  it("when full, makes room for a newcomer within its share by refusing whoever holds most beyond the new share", () => {
    const budget = new BodyBudget(1000);
    const evicted: string[] = [];
    const a = budget.open(() => evicted.push("a"));
    const b = budget.open(() => evicted.push("b"));
    expect(a.take(500)).toBe(true);
    expect(b.take(300)).toBe(true);
    const c = budget.open(() => evicted.push("c")); // share now 333
    expect(c.take(300)).toBe(true); // 1,100 > 1,000: a (500 > 333) goes
    expect(evicted).toEqual(["a"]);
    expect(budget.bytesHeld).toBe(600);
    expect(a.take(1)).toBe(false);
  });

  it("refuses a newcomer when no one holds more than their share", () => {
    const budget = new BodyBudget(900);
    const readers = [0, 1, 2].map(() => budget.open(() => {}));
    for (const r of readers) expect(r.take(300)).toBe(true);
    const late = budget.open(() => {}); // share 225: the three hold 300 each and are over it, yet…
    expect(late.take(226)).toBe(false); // …beyond its own share it is refused first
    expect(late.take(100)).toBe(true); // within it, the largest holder makes room
    expect(budget.bytesHeld).toBeLessThanOrEqual(900);
  });
});

describe("clientAddress", () => {
  const req = (peer: string, xff?: string) => ({ socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { "x-forwarded-for": xff } }) as unknown as IncomingMessage;

  it("believes one X-Forwarded-For entry per trusted proxy, from the right, never what a client wrote before them", () => {
    expect(clientAddress(req("10.0.0.1", "1.1.1.1, 2.2.2.2, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientAddress(req("10.0.0.1", "rotating-999, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientAddress(req("10.0.0.1", "1.1.1.1, 2.2.2.2, 203.0.113.9"), 2)).toBe("2.2.2.2");
    expect(clientAddress(req("10.0.0.1", "203.0.113.9"), 3)).toBe("203.0.113.9");
  });

  it("uses the connection's own address with no proxy trusted, or no header", () => {
    expect(clientAddress(req("10.0.0.1", "1.1.1.1"), 0)).toBe("10.0.0.1");
    expect(clientAddress(req("10.0.0.1"), 1)).toBe("10.0.0.1");
  });
});

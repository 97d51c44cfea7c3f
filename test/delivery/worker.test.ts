import { harnessPerTest, startHarness, type Harness } from "../helpers/app";
import { JOINCHAT_SECRET, PAGE, SHOP, seedDeliveries, waitFor } from "../helpers/deliveries";
import { retryDelayMs, MAX_RETRY_DELAY_MS } from "../../src/delivery/backoff";
import { ShopStore } from "../../src/store/shops";
import { shopSettingsSchema } from "../../src/store/shop-settings";
import { latestSendStartMs } from "../../src/delivery/worker";

describe("delivery worker against the JoinChat stand-in (SQLite)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ JOINCHAT_RETRY_BASE_MS: "20" });
    h.standIn.addPage(PAGE, JOINCHAT_SECRET);
    await h.app.ctx.shops.upsert(SHOP, { pageId: PAGE, joinchatSecret: JOINCHAT_SECRET });
  });
  afterEach(() => h.close());
  const rows = () => h.app.ctx.db.delivery.findMany({ orderBy: { key: "asc" } });

  it("delivers once a send that fails 3 times with 503", async () => {
    h.standIn.set({ failNext: 3, failStatus: 503 });
    await seedDeliveries(h.app.ctx.db, 1);
    h.app.worker!.poke();
    const [row] = await waitFor(rows, (r) => r[0]?.state === "sent");
    expect(row!.state).toBe("sent");
    expect(row!.attempts).toBe(4);
    expect(h.standIn.messages).toHaveLength(1);
    expect(h.standIn.calls.map((c) => c.status)).toEqual([503, 503, 503, 200]);
    expect(row!.sentBody).toBe(h.standIn.messages[0]!.raw);
  });

  it("ends a 400 in failed at once, with JoinChat's answer recorded", async () => {
    h.standIn.set({ failNext: 1, failStatus: 400 });
    await seedDeliveries(h.app.ctx.db, 1);
    h.app.worker!.poke();
    const [row] = await waitFor(rows, (r) => r[0]?.state === "failed");
    expect(row!.state).toBe("failed");
    expect(row!.attempts).toBe(1);
    expect(row!.responseStatus).toBe(400);
    expect(row!.responseBody).toContain("injected failure");
    expect(h.standIn.messages).toHaveLength(0);
  });

  it("gives up after maxAttempts retryable failures and keeps the last error", async () => {
    h.standIn.set({ failNext: 100, failStatus: 500 });
    await seedDeliveries(h.app.ctx.db, 1);
    await h.app.ctx.db.delivery.updateMany({ data: { maxAttempts: 3 } });
    h.app.worker!.poke();
    const [row] = await waitFor(rows, (r) => r[0]?.state === "failed");
    expect(row!.attempts).toBe(3);
    expect(row!.lastError).toMatch(/gave up after 3 attempts: JoinChat answered 500/);
  });

  it("sends one recipient's messages in the order they were scheduled", async () => {
    h.standIn.set({ latencyMs: 5 });
    await seedDeliveries(h.app.ctx.db, 12, { recipients: 2 });
    h.app.worker!.poke();
    await waitFor(rows, (r) => r.every((x) => x.state === "sent"));
    for (const uuid of ["u-0", "u-1"]) {
      const texts = h.standIn.messages.filter((m) => m.body.recipient.uuid === uuid).map((m) => (m.body.message as { text: string }).text);
      const numbers = texts.map((t) => Number(t.split(" ").pop()));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      expect(numbers).toHaveLength(6);
    }
  });

  it("skips a promotional message whose recipient's 24-hour window has closed, and says why", async () => {
    await seedDeliveries(h.app.ctx.db, 1, { promotional: true, windowOpenedAt: new Date(Date.now() - 25 * 3600_000) });
    await seedDeliveries(h.app.ctx.db, 1, { promotional: true, windowOpenedAt: new Date(Date.now() - 3600_000), prefix: "open" });
    h.app.worker!.poke();
    const all = await waitFor(rows, (r) => r.every((x) => x.state !== "scheduled" && x.state !== "sending"));
    const closed = all.find((r) => r.key.startsWith("seed"))!;
    expect(closed.state).toBe("skipped");
    expect(closed.lastError).toMatch(/24-hour window has closed/);
    expect(all.find((r) => r.key.startsWith("open"))!.state).toBe("sent");
    expect(h.standIn.messages).toHaveLength(1);
  });

  it("sends a promotion whose stored window closed when the recipient has clicked Send to Messenger again since", async () => {
    await seedDeliveries(h.app.ctx.db, 1, { promotional: true, windowOpenedAt: new Date(Date.now() - 25 * 3600_000) });
    await h.app.ctx.links.link(SHOP, "u-0", {}, new Date(Date.now() - 60_000));
    h.app.worker!.poke();
    const [row] = await waitFor(rows, (r) => r[0]?.state === "sent" || r[0]?.state === "skipped");
    expect(row!.state).toBe("sent");
    expect(h.standIn.messages[0]!.body.tag).toBeUndefined();
  });

  it("keeps JoinChat's recipient_id of a sent message, and its answer verbatim", async () => {
    await seedDeliveries(h.app.ctx.db, 1);
    h.app.worker!.poke();
    const [row] = await waitFor(rows, (r) => r[0]?.state === "sent");
    expect(row!.joinchatRecipientId).toMatch(/^\d{16}$/);
    expect(JSON.parse(row!.responseBody!)).toEqual({ success: true, recipient_id: row!.joinchatRecipientId });
  });

  it("ends a message JoinChat refuses with an unknown code as failed, the code and message verbatim, without retrying it", async () => {
    h.standIn.set({ refuseNext: 1, refuseCode: 99999, refuseMsg: "Something new" });
    await seedDeliveries(h.app.ctx.db, 1);
    h.app.worker!.poke();
    const [row] = await waitFor(rows, (r) => r[0]?.state === "failed");
    expect([row!.attempts, row!.joinchatCode, row!.lastError]).toEqual([1, "99999", "JoinChat refused the message (code 99999): Something new"]);
    expect(await h.app.ctx.deliveries.retryFailed(SHOP, new Date())).toBe(1);
    h.app.worker!.poke();
    expect((await waitFor(rows, (r) => r[0]?.state === "sent"))[0]!.joinchatCode).toBeNull();
  });

  it("uses a corrected JoinChat secret at once: the retry after the fix is signed with the new one", async () => {
    await h.app.ctx.shops.upsert(SHOP, { joinchatSecret: "a-wrong-secret" });
    await seedDeliveries(h.app.ctx.db, 1);
    h.app.worker!.poke();
    const [failed] = await waitFor(rows, (r) => r[0]?.state === "failed");
    expect(failed!.responseStatus).toBe(401);
    await h.app.ctx.shops.upsert(SHOP, { joinchatSecret: JOINCHAT_SECRET });
    expect(await h.app.ctx.deliveries.retryFailed(SHOP, new Date())).toBe(1);
    h.app.worker!.poke();
    const [sent] = await waitFor(rows, (r) => r[0]?.state === "sent");
    expect([sent!.state, sent!.attempts]).toEqual(["sent", 1]);
  });

  it("fails a message whose shop secret this ENCRYPTION_KEY cannot open, saying so, instead of leaving it in sending", async () => {
    await new ShopStore(h.app.ctx.db, "c3".repeat(32)).upsert(SHOP, { joinchatSecret: JOINCHAT_SECRET });
    await seedDeliveries(h.app.ctx.db, 1);
    h.app.worker!.poke();
    const [row] = await waitFor(rows, (r) => r[0]?.state !== "scheduled" && r[0]?.state !== "sending");
    expect([row!.state, row!.attempts]).toEqual(["failed", 1]);
    expect(row!.lastError).toMatch(/^the shop's JoinChat secret cannot be opened: .*ENCRYPTION_KEY differs/);
    expect(h.standIn.calls).toHaveLength(0);
  });

  it("retries failed rows on request", async () => {
    h.standIn.set({ failNext: 1, failStatus: 404 });
    await seedDeliveries(h.app.ctx.db, 1);
    h.app.worker!.poke();
    await waitFor(rows, (r) => r[0]?.state === "failed");
    expect(await h.app.ctx.deliveries.retryFailed(SHOP, new Date())).toBe(1);
    h.app.worker!.poke();
    const [row] = await waitFor(rows, (r) => r[0]?.state === "sent");
    expect(row!.state).toBe("sent");
  });
});

describe("claiming", () => {
  const h = harnessPerTest({}, { background: false });

  it("claims at most perShop rows of one shop, so another shop is not starved", async () => {
    await seedDeliveries(h.app.ctx.db, 50, { shop: "big.myshopify.com" });
    await seedDeliveries(h.app.ctx.db, 2, { shop: "small.myshopify.com", runAt: new Date(Date.now() + 500 - 2000) });
    const claimed = await h.app.ctx.deliveries.claimDue(20, 10, "w1", new Date(Date.now() + 1000), 60_000);
    const byShop = claimed.reduce<Record<string, number>>((acc, r) => ((acc[r.shopDomain] = (acc[r.shopDomain] ?? 0) + 1), acc), {});
    expect(byShop).toEqual({ "big.myshopify.com": 10, "small.myshopify.com": 2 });
  });

  it("does not claim a row twice while its lease holds, and takes it back once the lease ran out", async () => {
    await seedDeliveries(h.app.ctx.db, 1);
    const now = new Date();
    expect(await h.app.ctx.deliveries.claimDue(10, 10, "w1", now, 1000)).toHaveLength(1);
    expect(await h.app.ctx.deliveries.claimDue(10, 10, "w2", new Date(now.getTime() + 500), 1000)).toHaveLength(0);
    const again = await h.app.ctx.deliveries.claimDue(10, 10, "w2", new Date(now.getTime() + 1500), 1000);
    expect(again).toHaveLength(1);
    expect(again[0]!.attempts).toBe(2);
  });

  it("claims nothing before its time", async () => {
    await seedDeliveries(h.app.ctx.db, 1, { runAt: new Date(Date.now() + 60_000) });
    expect(await h.app.ctx.deliveries.claimDue(10, 10, "w1", new Date(), 1000)).toHaveLength(0);
  });
});

describe("retry backoff", () => {
  it("grows exponentially from the base, with jitter between half and all of it, up to the cap", () => {
    expect(retryDelayMs(1, 1000, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 1000, () => 1)).toBe(4000);
    expect(retryDelayMs(3, 1000, () => 0)).toBe(2000);
    expect(retryDelayMs(40, 1000, () => 1)).toBe(MAX_RETRY_DELAY_MS);
  });
});

describe("a JoinChat that answers after the send timeout (it may have sent the message)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ JOINCHAT_RETRY_BASE_MS: "20", JOINCHAT_TIMEOUT_MS: "300" });
    h.standIn.addPage(PAGE, JOINCHAT_SECRET);
    await h.app.ctx.shops.upsert(SHOP, { pageId: PAGE, joinchatSecret: JOINCHAT_SECRET });
  });
  afterEach(() => h.close());

  it("gets each message at most twice, the second try later, and the message ends unknown with the reason", async () => {
    h.standIn.set({ latencyMs: 700 });
    await seedDeliveries(h.app.ctx.db, 3);
    h.app.worker!.poke();
    const rows = await waitFor(
      () => h.app.ctx.db.delivery.findMany({ orderBy: { key: "asc" } }),
      (r) => r.every((d) => d.state === "unknown"),
      20_000,
    );
    expect(rows.map((d) => [d.state, d.attempts, d.unanswered])).toEqual(Array(3).fill(["unknown", 2, 1]));
    expect(rows[0]!.lastError).toMatch(/^no answer from JoinChat, twice: it may have reached the customer, so it is not sent again: JoinChat timed out after 300 ms/);
    // Nothing more goes out afterwards; each body reached JoinChat twice, the second at least six timeouts later.
    await new Promise((r) => setTimeout(r, 3_000));
    const byBody = new Map<string, number[]>();
    for (const m of h.standIn.messages) byBody.set(m.raw, [...(byBody.get(m.raw) ?? []), m.at]);
    expect([...byBody.values()].map((at) => at.length)).toEqual([2, 2, 2]);
    for (const [first, second] of byBody.values()) expect(second! - first!).toBeGreaterThanOrEqual(6 * 300);
  });

  it.each([
    ["never", 1, "unknown", /^no answer from JoinChat: it may have reached the customer, and Settings say not to send it again/],
    ["until_answered", 3, "sent", null],
  ] as const)("a shop that chose %s for receipts: %i sends, then %s", async (choice, sends, state, reason) => {
    await h.app.ctx.shops.upsert(SHOP, { settings: { resendUnanswered: { ...shopSettingsSchema.parse({}).resendUnanswered, receipt: choice } } });
    // Two slow answers, then prompt ones.
    h.standIn.set({ latencyMs: 700 });
    await seedDeliveries(h.app.ctx.db, 1, { windowOpenedAt: new Date() });
    await h.app.ctx.db.delivery.updateMany({ data: { automation: "receipt" } });
    h.app.worker!.poke();
    if (choice === "until_answered") {
      await waitFor(
        async () => h.standIn.messages.length,
        (n) => n === 2,
        20_000,
      );
      h.standIn.set({ latencyMs: 0 });
    }
    const [row] = await waitFor(
      () => h.app.ctx.db.delivery.findMany(),
      (r) => r[0]?.state === state,
      20_000,
    );
    expect(row!.state).toBe(state);
    if (reason) expect(row!.lastError).toMatch(reason);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(h.standIn.messages).toHaveLength(sends);
  });

  it("an unknown message is sent again only when the merchant asks", async () => {
    h.standIn.set({ latencyMs: 700 });
    await seedDeliveries(h.app.ctx.db, 1);
    h.app.worker!.poke();
    const [row] = await waitFor(
      () => h.app.ctx.db.delivery.findMany(),
      (r) => r[0]?.state === "unknown",
      20_000,
    );
    h.standIn.set({ latencyMs: 0 });
    expect(await h.app.ctx.deliveries.retryFailed(SHOP, new Date())).toBe(0); // the CLI's retry-all leaves it
    expect(await h.app.ctx.deliveries.retryFailed(SHOP, new Date(), row!.id)).toBe(1);
    h.app.worker!.poke();
    const [sent] = await waitFor(
      () => h.app.ctx.db.delivery.findMany(),
      (r) => r[0]?.state === "sent",
    );
    expect(sent!.state).toBe("sent");
  });
});

describe("delivery worker wake-ups (SQLite)", () => {
  // A poll far beyond the test: whatever goes out went out because the worker was woken.
  const h = harnessPerTest({}, { worker: { pollMs: 60_000 } }, async (h) => {
    h.standIn.addPage(PAGE, JOINCHAT_SECRET);
    await h.app.ctx.shops.upsert(SHOP, { pageId: PAGE, joinchatSecret: JOINCHAT_SECRET });
  });
  const states = () => h.app.ctx.db.delivery.findMany({ select: { state: true } });

  it("claims once for a batch of new work, not again for every send that ends", async () => {
    h.standIn.set({ latencyMs: 5 });
    const claims = jest.spyOn(h.app.ctx.deliveries, "claimDue");
    await seedDeliveries(h.app.ctx.db, 40);
    h.app.worker!.poke();
    await waitFor(states, (r) => r.every((x) => x.state === "sent"));
    await new Promise((r) => setTimeout(r, 100));
    expect(h.standIn.messages).toHaveLength(40);
    // The claim took every due row; the 40 ends woke nothing (they were one claim each before).
    expect(claims).toHaveBeenCalledTimes(1);
  });

  it("claims again when a send ends whose recipient has a message waiting behind it, and when a shop's share was full", async () => {
    h.standIn.set({ latencyMs: 5 });
    // Three messages to one recipient go out one after the other; 70 to others fill the shop's share of a claim (64).
    await seedDeliveries(h.app.ctx.db, 3, { recipients: 1, prefix: "one" });
    await seedDeliveries(h.app.ctx.db, 70, { prefix: "many" });
    h.app.worker!.poke();
    const all = await waitFor(states, (r) => r.every((x) => x.state === "sent"), 5_000);
    expect(all.filter((x) => x.state === "sent")).toHaveLength(73);
    const ones = h.standIn.messages.filter((m) => (m.body.message as { text: string }).text.startsWith("one")).map((m) => (m.body.message as { text: string }).text);
    expect(ones).toEqual(["one message 0", "one message 1", "one message 2"]);
  });
});

describe("how late after its claim a message may still be sent (latestSendStartMs)", () => {
  it("leaves the send's timeout and the record's tries within the lease", () => {
    // The defaults: 60 s lease, 10 s timeout; 3.75 s kept for recording the send.
    expect(latestSendStartMs(60_000, 10_000)).toBe(46_250);
    // A short lease keeps half of what the timeout leaves for the record.
    expect(latestSendStartMs(5_000, 2_000)).toBe(1_500);
    expect(latestSendStartMs(2_000, 1_000)).toBe(500);
    for (const [lease, timeout] of [
      [60_000, 10_000],
      [5_000, 2_000],
      [1_500, 700],
    ] as const) {
      const start = latestSendStartMs(lease, timeout);
      expect(start).toBeGreaterThan(0);
      expect(start + timeout).toBeLessThan(lease);
    }
  });
});

import crypto from "node:crypto";
import type { AppContext } from "../context";
import type { Metrics } from "../metrics";
import { PermanentSendError, reasonOfSendError, RefusedSendError, RetryableSendError } from "../joinchat/errors";
import type { Message, Recipient } from "../messages/schema";
import { MessageLimitError } from "../messages/validate";
import { wireBody } from "../messages/wire";
import { withTrackedLinks } from "../messages/tracked-links";
import { clickUrl } from "../messages/click-token";
import { decideSend, isWindowOpen, PROMOTION_PAST_WINDOW, retryHorizon, type SendFacts } from "../policy/send-decision";
import { AUTOMATIONS, automationSwitchedOn, isAutomationName, policyFor } from "../policy/automations";
import { EncryptionKeyError } from "../store/secrets";
import type { ClaimedDelivery } from "../store/deliveries";
import { shopDisplayName, type ShopRecord } from "../store/shops";
import { promotionalWords, templatedTexts } from "../policy/promotional-text";
import { MAX_RETRY_DELAY_MS, retryDelayMs } from "./backoff";
import { isOutageKind, OutageWatch } from "./outage";
import { Waker } from "../waker";
import { subjectKey, UNKNOWN_RECIPIENT } from "../store/keys";
import type { UnansweredChoice } from "../store/shop-settings";
import { inHoldout } from "../policy/holdout";
import { pausedReason, pauseWindowStart, promotionPause, type PromotionAnswers } from "../policy/promotion-pause";

export interface WorkerOptions {
  /** Messages in flight at once, over all shops. */
  concurrency: number;
  /** Messages of one shop claimed at once, so one large shop cannot starve the others. */
  perShop: number;
  /** How long a claimed row stays with this worker before another may take it over. */
  leaseMs: number;
  pollMs: number;
}

/** How long a worker keeps a shop's settings and secret; a rotated secret is used within this time. */
const SHOP_CACHE_MS = 5_000;
/** The soonest a send with no answer is tried again, in send timeouts: JoinChat may be slow, not down, and may yet deliver it. */
const UNANSWERED_RETRY_TIMEOUTS = 6;
export const UNANSWERED_TWICE = "no answer from JoinChat, twice: it may have reached the customer, so it is not sent again";
export const UNANSWERED_NOT_AGAIN = "no answer from JoinChat: it may have reached the customer, and Settings say not to send it again";
/** The schema's default `maxAttempts`: a row that has it was not given a budget of its own. */
const DEFAULT_MAX_ATTEMPTS = 100;

/**
 * How many tries a message may use. `maxAttempts` is a backstop, not the rule: at its default it
 * stretches to the tries the backoff makes before the horizon (at most two an hour once the delay
 * reaches its cap), so a long horizon (TRANSACTIONAL_RETRY_HOURS up to 720) is not cut at ~100 hours.
 * A budget set lower on the row (an operator's) holds as set.
 */
export function attemptBudget(row: Pick<ClaimedDelivery, "maxAttempts" | "createdAt">, horizon: number): number {
  if (row.maxAttempts < DEFAULT_MAX_ATTEMPTS) return row.maxAttempts;
  return Math.max(row.maxAttempts, Math.ceil((horizon - row.createdAt.getTime()) / (MAX_RETRY_DELAY_MS / 2)) + 20);
}

/** How long a worker keeps a shop's count of answered promotions (by the app's clock); a refusal drops it at once. */
const PAUSE_CACHE_MS = 30_000;

/** Tries at recording a message that went out, 250 ms more apart each (3.75 s of waits in all; deliver keeps room for them in the lease). */
const RECORD_SENT_TRIES = 6;
const RECORD_SENT_STEP_MS = 250;
const RECORD_SENT_WAITS_MS = (RECORD_SENT_STEP_MS * RECORD_SENT_TRIES * (RECORD_SENT_TRIES - 1)) / 2;

/**
 * How long after its claim a message may still be sent: the send and its record must end within
 * the lease, or another worker may take the row over and send it too. Past the send's timeout the
 * lease keeps room for the record's tries through a lost database connection: their waits, or
 * half of what is left if less (a lease is at least twice the timeout, src/config/env.ts).
 */
export function latestSendStartMs(leaseMs: number, sendTimeoutMs: number): number {
  return leaseMs - sendTimeoutMs - Math.min(RECORD_SENT_WAITS_MS, (leaseMs - sendTimeoutMs) / 2);
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = { concurrency: 128, perShop: 64, leaseMs: 60_000, pollMs: 250 };

/**
 * The delivery worker: claims due rows, sends each signed, and records what happened. Any number
 * run against one PostgreSQL; on SQLite one process claims. A crash leaves rows `sending` with a
 * lease that runs out, after which they are claimed again: nothing is lost.
 */
export class DeliveryWorker {
  readonly workerId = `worker-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
  private running = false;
  private loop?: Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly waker: Waker;
  /** Whether JoinChat is down, from this worker's sends: then one probe at a time, nothing else. */
  private readonly outage: OutageWatch;
  /**
   * Whether the last claim may have left due rows behind: it took all it was allowed, or a shop's
   * whole share. Only then does a slot coming free call for another claim (or a send whose
   * recipient has a message waiting behind it); otherwise the claim drained what was due, and new
   * work wakes the loop (poke) or the poll does. One claim per finished send, most of them empty,
   * was most of PostgreSQL's work at 200 orders/s (bench/README.md, issue 27).
   */
  private moreDue = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly metrics: Metrics,
    private readonly options: WorkerOptions = DEFAULT_WORKER_OPTIONS,
  ) {
    this.waker = new Waker(options.pollMs);
    this.outage = new OutageWatch(ctx.config.JOINCHAT_PROBE_MS);
  }

  /**
   * Claims up to `free` due rows, or while JoinChat is down the one probe its time allows (none
   * otherwise). The returned sends are under way; each settles when its row is written.
   */
  private async claim(free: number): Promise<{ key: string; followed: boolean; send: Promise<void> }[]> {
    const now = this.ctx.clock.now();
    const allowed = this.outage.allowance(free, now);
    if (allowed === 0) return [];
    const probe = this.outage.down !== null;
    const perShop = probe ? 1 : this.options.perShop;
    // The lease runs from before the claim: a claim slowed by the database has spent some of it.
    const claimedAt = performance.now();
    const rows = await this.ctx.deliveries.claimDue(allowed, perShop, this.workerId, this.ctx.clock.claimTime(), this.options.leaseMs);
    const ofShop = new Map<string, number>();
    for (const row of rows) ofShop.set(row.shopDomain, (ofShop.get(row.shopDomain) ?? 0) + 1);
    this.moreDue = rows.length >= allowed || [...ofShop.values()].some((n) => n >= perShop);
    if (!probe) return rows.map((row) => ({ key: row.key, followed: row.followed, send: this.deliver(row, false, claimedAt) }));
    if (rows.length === 0) return [];
    this.outage.probeStarted();
    return [{ key: rows[0]!.key, followed: rows[0]!.followed, send: this.deliver(rows[0]!, true, claimedAt).finally(() => this.outage.probeEnded()) }];
  }

  /** Claims and sends what is due now, waiting for every send; returns how many rows it claimed. */
  async runOnce(): Promise<number> {
    const sends = await this.claim(this.options.concurrency);
    await Promise.all(sends.map((s) => s.send));
    return sends.length;
  }

  private readonly shops = new Map<string, { at: number; value: Promise<{ shop: ShopRecord | null; secret: string | null }> }>();

  /** The shop's settings and secret, kept for a few seconds: a burst of one shop's messages reads them once. */
  private shopFor(domain: string): Promise<{ shop: ShopRecord | null; secret: string | null }> {
    const now = Date.now();
    const hit = this.shops.get(domain);
    if (hit && now - hit.at < SHOP_CACHE_MS) return hit.value;
    const value = (async () => {
      const shop = await this.ctx.shops.find(domain);
      return { shop, secret: shop?.pageId ? await this.ctx.shops.joinchatSecret(domain) : null };
    })();
    value.catch(() => this.shops.delete(domain));
    this.shops.set(domain, { at: now, value });
    return value;
  }

  /**
   * Whether the message's automation is still switched on. The cached settings may be a few
   * seconds old: a message they say is off is checked against the stored settings before it is
   * cancelled, so one scheduled just after the merchant switched its automation on still goes.
   */
  private async switchedOn(shop: ShopRecord, row: ClaimedDelivery): Promise<boolean> {
    if (automationSwitchedOn(shop.settings, row.automation, row.key)) return true;
    const stored = await this.ctx.shops.find(row.shopDomain);
    return stored !== null && automationSwitchedOn(stored.settings, row.automation, row.key);
  }

  /**
   * When the recipient's 24-hour window opened: the row keeps when it opened at scheduling, and a
   * newer Send to Messenger click reopens it, so the link is read again, unless the row's opening
   * is recent enough to decide alone (within the window) or the window decides nothing for it (a
   * test message, untagged and not a promotion).
   */
  private async windowOpenedAt(row: ClaimedDelivery, recipient: Recipient, now: Date): Promise<Date | null> {
    if (isWindowOpen(row.windowOpenedAt, now)) return row.windowOpenedAt;
    if (!recipient.uuid || (!row.promotional && row.automation === "manual")) return row.windowOpenedAt;
    const link = await this.ctx.links.find(row.shopDomain, recipient.uuid);
    return link && (!row.windowOpenedAt || link.linkedAt > row.windowOpenedAt) ? link.linkedAt : row.windowOpenedAt;
  }

  private readonly answers = new Map<string, { at: number; resumedAt: string | undefined; value: Promise<PromotionAnswers> }>();

  /**
   * Whether the shop's promotions are paused now (src/policy/promotion-pause.ts): the reason, or
   * null. One count per shop per PAUSE_CACHE_MS, so a burst of promotions reads it once; receipts
   * and shipping notices never ask.
   */
  private async pauseOf(shop: ShopRecord, now: Date): Promise<string | null> {
    if (!shop.settings.promotionPause) return null;
    const resumedAt = shop.settings.promotionsResumedAt;
    const hit = this.answers.get(shop.domain);
    // A resume since the count was taken starts it afresh.
    let value = hit && now.getTime() - hit.at < PAUSE_CACHE_MS && hit.resumedAt === resumedAt && hit.value;
    if (!value) {
      value = this.ctx.deliveries.promotionAnswers(shop.domain, pauseWindowStart(now, resumedAt));
      value.catch(() => this.answers.delete(shop.domain));
      this.answers.set(shop.domain, { at: now.getTime(), resumedAt, value });
    }
    const answers = await value;
    const pause = promotionPause(answers, true);
    if (pause.paused) this.metrics.pausedShops.add(shop.domain);
    else this.metrics.pausedShops.delete(shop.domain);
    return pause.paused ? pausedReason(answers) : null;
  }

  /**
   * A recall of a shop that holds some checkouts out (src/policy/holdout.ts): the checkout's group
   * is decided when its first recall comes due, before anything else decides about the message,
   * so both groups are alike but for the recalls. Whether the checkout is held out.
   */
  private async heldOut(row: ClaimedDelivery, shop: ShopRecord, switchedOn: boolean): Promise<boolean> {
    const recall = AUTOMATIONS.abandoned.parseKey(row.key);
    const percent = shop.settings.results.holdoutPercent;
    // Recalls turned off: no group (the recall is cancelled), so both groups stay alike.
    if (!recall || percent === 0 || !switchedOn) return false;
    const subject = subjectKey.checkout(recall.checkoutToken);
    const group =
      recall.step === 1
        ? await this.ctx.results.decideGroup(row.shopDomain, subject, inHoldout(row.shopDomain, recall.checkoutToken, percent) ? "holdout" : "recalled", this.ctx.clock.now())
        : await this.ctx.results.groupOf(row.shopDomain, subject);
    return group === "holdout";
  }

  /**
   * What decideSend reads about a row, gathered in one go: the shop and whether its secret opens
   * (settings and secret cached per shop), the recipient's window, the switch, the holdout group,
   * the pause, whether a message about to go tagged reads as a promotion. The cached settings may
   * be a few seconds old: the stored ones decide a cancel, a hold or a pause.
   */
  private async factsOf(row: ClaimedDelivery, recipient: Recipient, now: Date): Promise<{ facts: SendFacts; shop: ShopRecord | null; secret: string | null }> {
    const windowOpenedAt = await this.windowOpenedAt(row, recipient, now);
    const open = isWindowOpen(windowOpenedAt, now);
    const facts: SendFacts = {
      now,
      windowOpenedAt,
      shop: { pageId: null, hasSecret: false, uninstalled: false, pastWindow: "hold", pastWindowTag: null },
      switchedOn: true,
      heldOut: false,
      paused: null,
      retryHours: this.ctx.config.TRANSACTIONAL_RETRY_HOURS,
      leaseMs: this.options.leaseMs,
      promotionalText: [],
    };
    let shop: ShopRecord | null;
    let secret: string | null;
    try {
      ({ shop, secret } = await this.shopFor(row.shopDomain));
    } catch (err) {
      if (!(err instanceof EncryptionKeyError)) throw err;
      return { facts: { ...facts, shop: { unreadable: err.message } }, shop: null, secret: null };
    }
    if (!shop) return { facts, shop, secret };
    const pastWindowOf = (settings: ShopRecord["settings"]) => ({
      pastWindow: settings.pastWindow,
      pastWindowTag: isAutomationName(row.automation) ? (policyFor(row.automation, settings).tag ?? null) : null,
    });
    let pastWindow = pastWindowOf(shop.settings);
    // A hold by the cached settings is checked against the stored ones: the shop may have chosen to send since.
    if (!row.promotional && !open && pastWindow.pastWindow === "hold" && pastWindow.pastWindowTag) {
      const stored = await this.ctx.shops.find(row.shopDomain);
      if (stored) pastWindow = pastWindowOf(stored.settings);
    }
    facts.shop = { pageId: shop.pageId, hasSecret: secret !== null, uninstalled: shop.uninstalledAt !== null, ...pastWindow };
    // A transactional message about to go tagged past the window (a message sent by hand has no tag).
    const wouldGoTagged = !row.promotional && !open && pastWindow.pastWindow === "send_tagged" && pastWindow.pastWindowTag !== null;
    // Read only when it decides something.
    if (wouldGoTagged) facts.promotionalText = promotionalWords(templatedTexts(JSON.parse(row.message) as Message).join("\n"), [shopDisplayName(shop)]);
    facts.switchedOn = await this.switchedOn(shop, row);
    if (row.automation === "abandoned") facts.heldOut = await this.heldOut(row, shop, facts.switchedOn);
    // The pause covers promotions, and messages that would go tagged past the window.
    if (facts.switchedOn && !facts.heldOut && (wouldGoTagged || (row.promotional && open))) {
      facts.paused = await this.pauseOf(shop, now);
      if (facts.paused) {
        const stored = await this.ctx.shops.find(row.shopDomain);
        facts.paused = stored ? await this.pauseOf(stored, now) : facts.paused;
      }
    }
    return { facts, shop, secret };
  }

  /** The message's buttons through the app's click redirect, when the shop tracks clicks (and the app has its secret to sign with). */
  private withClickRedirects(shop: ShopRecord, deliveryId: string, message: Message): Message {
    const secret = this.ctx.config.SHOPIFY_API_SECRET;
    if (!shop.settings.results.trackClicks || !secret) return message;
    return withTrackedLinks(message, (link) => clickUrl(this.ctx.config.appUrl, secret, deliveryId, link));
  }

  /**
   * `probe`: the one message sent while JoinChat is down, to see whether it is back. `claimedAt`:
   * when the claim was asked for, by this process's monotonic clock.
   */
  private async deliver(row: ClaimedDelivery, probe: boolean, claimedAt: number): Promise<void> {
    const store = this.ctx.deliveries;
    const now = this.ctx.clock.now();
    const recipient = JSON.parse(row.recipient) as Recipient;
    const { facts, shop, secret } = await this.factsOf(row, recipient, now);
    const decision = decideSend(row, facts);
    if (!decision.send) {
      await store.markEnded(row.id, decision.state, decision.reason, decision.detail);
      // The checkout's later recalls are held out too.
      if (decision.alsoSkipSubject)
        await store.skipScheduledOf(row.shopDomain, subjectKey.checkout(AUTOMATIONS.abandoned.parseKey(row.key)!.checkoutToken), "abandoned", decision.reason, decision.detail);
      if (decision.state !== "cancelled") this.metrics.sends.inc({ result: decision.state });
      return;
    }
    const openedAt = facts.windowOpenedAt;
    if (!shop?.pageId || !secret) throw new Error("decideSend sent a message of a shop without its JoinChat page id and secret");
    let sentBody: string;
    try {
      sentBody = wireBody({
        page_id: shop.pageId,
        recipient,
        message: this.withClickRedirects(shop, row.id, JSON.parse(row.message) as Message),
        ...(decision.tag ? { tag: decision.tag } : {}),
      }).text;
    } catch (err) {
      if (!(err instanceof MessageLimitError)) throw err;
      await store.markEnded(row.id, "failed", "message_invalid", `message refused before sending: ${err.message}`);
      this.metrics.sends.inc({ result: "failed" });
      return;
    }
    // A row held too long before its send (a stalled process, a slow database) goes back to the queue unsent.
    if (performance.now() - claimedAt > latestSendStartMs(this.options.leaseMs, this.ctx.config.JOINCHAT_TIMEOUT_MS)) {
      await store.markRetry(row.id, this.ctx.clock.now(), null, "held past its lease before it could be sent: given back unsent", null, "", null, { refund: true });
      return;
    }
    const started = performance.now();
    const took = (result: string) => this.metrics.sendSeconds.observe({ result }, (performance.now() - started) / 1000);
    try {
      const result = await this.ctx.joinchat.sendBytes(sentBody, secret);
      took("sent");
      await this.recordSent(() => store.markSent(row.id, sentBody, result.answer.status, result.answer.body, this.ctx.clock.now(), result.recipientId, decision.tag));
      this.metrics.sends.inc({ result: "sent" });
      this.metrics.recentSends.record(true, this.ctx.clock.now().getTime());
      await this.joinchatAnswered();
    } catch (err) {
      if (!(err instanceof RetryableSendError || err instanceof PermanentSendError)) throw err;
      took(err instanceof RefusedSendError ? "refused" : "failed");
      if (err instanceof RetryableSendError && isOutageKind(err.kind)) await this.joinchatFailed(err, probe);
      else await this.joinchatAnswered();
      const resend = (shop.settings.resendUnanswered as Partial<Record<string, UnansweredChoice>>)[row.automation] ?? "once";
      await this.failedSend(row, err, sentBody, decision.tag, openedAt, probe, resend);
    }
  }

  /** JoinChat answered (sent, refused, throttled): an outage in progress is over, and what waited on it is due now. */
  private async joinchatAnswered(): Promise<void> {
    const outage = this.outage.down;
    if (!this.outage.answered()) return;
    const now = this.ctx.clock.now();
    const released = await this.ctx.deliveries.releaseAfterOutage();
    await this.ctx.joinchatOutage.ended();
    this.ctx.log.info({ downSeconds: Math.round((now.getTime() - outage!.since.getTime()) / 1000), released }, "JoinChat answers again: messages that waited are due now");
    this.poke();
  }

  /** A send failed in a way that speaks of JoinChat as a whole: it may start an outage, and a probe's failure keeps it current. */
  private async joinchatFailed(err: RetryableSendError, probe: boolean): Promise<void> {
    const now = this.ctx.clock.now();
    const started = this.outage.failed(err.message, now);
    const outage = this.outage.down;
    if (!outage) return;
    if (started) this.ctx.log.error({ since: outage.since, error: err.message }, "JoinChat is unreachable: probing it, other messages wait without spending their tries");
    // Recorded for every process's /healthz and admin; an in-flight batch's failures after the first are not news.
    if (started || probe) {
      await this.ctx.joinchatOutage.failed(outage.since, err.message, now).catch((e: Error) => this.ctx.log.warn({ err: e.message }, "could not record the JoinChat outage"));
    }
  }

  /**
   * The message went out: its record is tried again through a lost database connection, since a
   * row left `sending` is sent again once its lease runs out (deliver keeps room in the lease for
   * these tries).
   */
  private async recordSent(write: () => Promise<void>): Promise<void> {
    for (let tries = 1; ; tries++) {
      try {
        return await write();
      } catch (err) {
        if (tries === RECORD_SENT_TRIES) throw err;
        await new Promise((r) => setTimeout(r, RECORD_SENT_STEP_MS * tries));
      }
    }
  }

  /**
   * A send that did not go through. A retryable failure is tried again with backoff until the
   * message's horizon (retryHorizon): then a promotion ends `skipped` (it could no longer go out
   * anyway), anything else `failed` (a dead letter). The last try is made at the horizon itself.
   * While JoinChat is down the message waits, due, for the probes (src/delivery/outage.ts), and a
   * failed probe does not spend its try. A send with no answer may have gone: it is tried once more,
   * later; a second ends it `unknown`, never sent a third time, unless the shop chose otherwise
   * for the automation (`resend`: never again, or until answered).
   */
  private async failedSend(
    row: ClaimedDelivery,
    err: RetryableSendError | PermanentSendError,
    sentBody: string,
    sentTag: string | null,
    openedAt: Date | null,
    probe: boolean,
    resend: UnansweredChoice,
  ): Promise<void> {
    const store = this.ctx.deliveries;
    const log = this.ctx.log.child({ shop: row.shopDomain, delivery: row.key });
    const answer = { status: err.answer.status, responseBody: err.answer.body, sentBody, tag: sentTag };
    this.metrics.recentSends.record(false, this.ctx.clock.now().getTime());
    // The shop's settings or secret may be what is wrong: the next try reads them again.
    this.shops.delete(row.shopDomain);
    const now = this.ctx.clock.now().getTime();
    const horizon = retryHorizon(row, openedAt, now, this.ctx.config.TRANSACTIONAL_RETRY_HOURS);
    const unanswered = err instanceof RetryableSendError && err.kind === "unanswered";
    if (unanswered && resend !== "until_answered" && row.unanswered >= (resend === "once" ? 1 : 0)) {
      const why = `${resend === "once" ? UNANSWERED_TWICE : UNANSWERED_NOT_AGAIN}: ${err.message}`;
      await store.markEnded(row.id, "unknown", "unanswered", why, answer);
      this.metrics.sends.inc({ result: "unknown" });
      log.error({ attempts: row.attempts, error: why }, "send unanswered: not sent again");
      return;
    }
    if (err instanceof RetryableSendError && now < horizon && row.attempts < attemptBudget(row, horizon)) {
      const down = this.outage.down !== null;
      // Down: due again at once, for the probes; no answer: later, never right away; else backoff.
      const delay =
        down && !unanswered
          ? 0
          : Math.max(
              retryDelayMs(row.attempts, this.ctx.config.JOINCHAT_RETRY_BASE_MS),
              err.retryAfterMs ?? 0,
              unanswered ? UNANSWERED_RETRY_TIMEOUTS * this.ctx.config.JOINCHAT_TIMEOUT_MS : 0,
            );
      const runAt = new Date(Math.min(now + delay, horizon));
      await store.markRetry(row.id, runAt, reasonOfSendError(err), err.message, err.answer.status, err.answer.body, sentBody, { unanswered, refund: probe && down });
      this.metrics.sends.inc({ result: "retry" });
      log.warn({ attempts: row.attempts, retryInMs: runAt.getTime() - now, error: err.message, joinchatDown: down }, "send failed: will retry");
      return;
    }
    if (err instanceof RetryableSendError && row.promotional) {
      await store.markEnded(row.id, "skipped", "window_closed", `${PROMOTION_PAST_WINDOW} while JoinChat was failing (${row.attempts} attempts; last: ${err.message})`, answer);
      this.metrics.sends.inc({ result: "skipped" });
      return;
    }
    const why = err instanceof RetryableSendError ? `gave up after ${row.attempts} attempts: ${err.message}` : err.message;
    const joinchatCode = err instanceof RefusedSendError ? err.refusal.code : null;
    await store.markEnded(row.id, "failed", err instanceof RetryableSendError ? "gave_up" : reasonOfSendError(err), why, { ...answer, joinchatCode });
    // A promotion refused may tip the shop's refusal rate: the next promotion counts again.
    if (joinchatCode !== null && row.promotional) this.answers.delete(row.shopDomain);
    // The page protects itself: no more of a sequence to someone JoinChat says it cannot reach.
    if (joinchatCode === UNKNOWN_RECIPIENT) await store.stopPromotionsTo(row.recipientKey);
    this.metrics.sends.inc({ result: err instanceof RefusedSendError ? "refused" : "failed" });
    log.error({ attempts: row.attempts, error: why }, "send failed for good");
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let claimed = 0;
        try {
          // Claim in batches: once a quarter of the slots are free (or none is busy), not per slot;
          // each claim is one statement over the due rows, and per-message claims cost more than sends.
          const free = this.options.concurrency - this.inFlight.size;
          if (free >= Math.max(1, this.options.concurrency / 4) || this.inFlight.size === 0) {
            const sends = await this.claim(free);
            claimed = sends.length;
            for (const { key, followed, send } of sends) {
              const p: Promise<void> = send
                .catch((err) => this.ctx.log.error({ err: (err as Error).message, stack: (err as Error).stack, delivery: key }, "delivery crashed: its lease will bring it back"))
                .finally(() => {
                  this.inFlight.delete(p);
                  // A free slot matters only when due rows may be waiting for one (see moreDue).
                  if (this.moreDue || followed) this.poke();
                });
              this.inFlight.add(p);
            }
          }
        } catch (err) {
          this.ctx.log.error({ err: (err as Error).message, stack: (err as Error).stack }, "claiming deliveries failed");
        }
        if (!this.running) break;
        if (claimed === 0 || !this.moreDue || this.options.concurrency - this.inFlight.size < Math.max(1, this.options.concurrency / 4)) {
          await this.waker.sleep();
        }
      }
    })();
  }

  /** Wakes the loop now: new work was stored, or a slot came free that due rows wait for. */
  poke(): void {
    this.waker.poke();
  }

  /** Stops claiming and lets in-flight sends finish (SIGTERM). */
  async stop(): Promise<void> {
    this.running = false;
    this.poke();
    await this.loop;
    await Promise.all(this.inFlight);
  }
}

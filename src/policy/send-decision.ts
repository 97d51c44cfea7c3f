/**
 * Whether a due message goes out now, and how: decided here, in one pure function, from the facts
 * the worker gathers for its row. The 24-hour window, the retry horizon, the shop's state, the
 * switch, the pause, the holdout and the tag are all decided here and nowhere else.
 */
import type { MessageTag } from "../messages/limits";
import type { ReasonCode } from "./reasons";

/** Messenger's standard messaging window: a user's own action opens 24 hours of free messaging. */
export const MESSAGING_WINDOW_MS = 24 * 60 * 60 * 1000;

/** What a shop does with a receipt, shipping notice or delivery update whose recipient's 24-hour window has closed. */
export const PAST_WINDOW_CHOICES = ["send_tagged", "hold"] as const;
export type PastWindowChoice = (typeof PAST_WINDOW_CHOICES)[number];

/** Recorded with a message skipped past the window (a promotion, a payment reminder). */
export const PROMOTION_PAST_WINDOW = "promotional message and the recipient's 24-hour window has closed";
const OUTSIDE_WINDOW = "outside the 24-hour Messenger window: held (Settings: past 24 hours, hold)";
const WINDOW_UNKNOWN = "outside the 24-hour Messenger window as far as the app knows (no Send to Messenger opt-in heard of): held (Settings: past 24 hours, hold)";
export const SWITCHED_OFF_REASON = "its automation was turned off in Settings before it was due";
const HOLDOUT_REASON = "holdout: not sent, so Results can compare checkouts without recalls (the shop's holdout group)";
const promotionalTextHeld = (words: readonly string[]) =>
  `looks promotional (${words.map((w) => `"${w}"`).join(", ")}) and Meta forbids promotions under a tag: held past the 24-hour window instead of tagged (edit the template)`;
const NO_CREDENTIALS = "shop has no JoinChat page id and secret (npm run cli -- shop:set), then retry";

/**
 * The 24-hour window, decided: whether the window that opened at `openedAt` (the recipient's last
 * opt-in) is still open at `at`. decideSend's rule; a handler asks it too before it spends
 * something on a promotion (a unique code, store credit) that would then be skipped.
 */
export function isWindowOpen(openedAt: Date | null, at: Date): boolean {
  return openedAt !== null && at.getTime() - openedAt.getTime() < MESSAGING_WINDOW_MS;
}

/** The row's part of a decision. */
export interface SendRow {
  /** Its automation's name (the catalog, src/policy/automations.ts), or "manual" for a message sent by hand. */
  automation: string;
  promotional: boolean;
  attempts: number;
  createdAt: Date;
}

/**
 * Everything else a decision reads, gathered by the worker in one go. `shop.pastWindowTag`: the tag
 * the row's automation carries past the window by the shop's current choice (null for a message
 * sent by hand, which has none).
 */
export interface SendFacts {
  now: Date;
  /** When the recipient's window opened: the newest of the row's and their link's. */
  windowOpenedAt: Date | null;
  /** The shop, or why it cannot be used: its secret could not be opened (the error's message). */
  shop: { unreadable: string } | { pageId: string | null; hasSecret: boolean; uninstalled: boolean; pastWindow: PastWindowChoice; pastWindowTag: MessageTag | null };
  /** Whether the setting that switches the message's automation on is still on. */
  switchedOn: boolean;
  /** Whether the message's checkout is in the shop's holdout group. */
  heldOut: boolean;
  /** Why the shop's promotions and tagged sends are paused now (a promotion's fact, or a message's that would go tagged); null when they are not. */
  paused: string | null;
  /** How long a transactional message is tried after it was queued. */
  retryHours: number;
  /** A worker's lease: a retry comes at the horizon itself, within a lease of it. */
  leaseMs: number;
  /**
   * The promotional words in what the message's templates wrote (src/policy/promotional-text.ts):
   * read only where they decide something, when a transactional message would go tagged.
   */
  promotionalText: string[];
}

export type SendVerdict =
  { send: true; tag: MessageTag | null } | { send: false; state: "skipped" | "failed" | "cancelled"; reason: ReasonCode; detail: string; alsoSkipSubject?: true };

/**
 * How long a message is tried (ms since the epoch): a promotion until its recipient's window
 * closes, anything else `retryHours` after it was queued.
 */
export function retryHorizon(row: Pick<SendRow, "promotional" | "createdAt">, openedAt: Date | null, now: number, retryHours: number): number {
  return row.promotional ? (openedAt?.getTime() ?? now) + MESSAGING_WINDOW_MS : row.createdAt.getTime() + retryHours * 3_600_000;
}

const end = (state: "skipped" | "failed" | "cancelled", reason: ReasonCode, detail: string): SendVerdict => ({ send: false, state, reason, detail });

/**
 * Meta's rules of 2026 and the shop's choices, applied when a message is due. Inside the
 * recipient's 24-hour window (since their last opt-in) every message goes untagged, which Meta
 * always accepts. Past it, or where the app cannot know the window (no opt-in it heard of), a
 * promotion never goes, and a transactional message is held unless the shop chose to send it with
 * one of the tags Meta kept in 2020 (JoinChat decides, its answer is read), and even then not
 * when its text reads as a promotion, which Meta forbids under any tag.
 * A held-out checkout's recall is skipped before anything else decides, so both groups are alike
 * but for the recalls.
 */
export function decideSend(row: SendRow, f: SendFacts): SendVerdict {
  const open = isWindowOpen(f.windowOpenedAt, f.now);
  if (f.heldOut) return { send: false, state: "skipped", reason: "holdout", detail: HOLDOUT_REASON, alsoSkipSubject: true };
  if (row.promotional && !open) return end("skipped", "window_closed", PROMOTION_PAST_WINDOW);
  // A message that waited out an outage past its horizon is a dead letter, as if its tries had run out there.
  if (row.attempts > 1 && f.now.getTime() > retryHorizon(row, f.windowOpenedAt, f.now.getTime(), f.retryHours) + f.leaseMs) {
    return end("failed", "gave_up", `gave up after ${row.attempts - 1} attempts: JoinChat could not be reached until past the message's retry horizon`);
  }
  // Retrying cannot open it: the operator must set the key it was sealed with, then retry.
  if ("unreadable" in f.shop) return end("failed", "secret_unreadable", `the shop's JoinChat secret cannot be opened: ${f.shop.unreadable}`);
  if (!f.shop.pageId || !f.shop.hasSecret) return end("failed", "no_credentials", NO_CREDENTIALS);
  if (f.shop.uninstalled) return end("cancelled", "uninstalled", "app uninstalled");
  if (!f.switchedOn) return end("cancelled", "switched_off", SWITCHED_OFF_REASON);
  // The page protects itself: while too many recent promotions were refused, none goes out.
  if (row.promotional && f.paused) return end("skipped", "promotions_paused", f.paused);
  // A message sent by hand (a test) goes untagged whatever the window: JoinChat's answer is what its sender wants to see.
  if (open || row.automation === "manual") return { send: true, tag: null };
  if (f.shop.pastWindow === "hold") return end("skipped", "outside_window", f.windowOpenedAt ? OUTSIDE_WINDOW : WINDOW_UNKNOWN);
  if (f.promotionalText.length) return end("skipped", "promotional_text", promotionalTextHeld(f.promotionalText));
  // The pause covers tagged sends too: refusals of either are the page's risk.
  if (f.paused) return end("skipped", "tagged_paused", f.paused);
  return { send: true, tag: f.shop.pastWindowTag };
}

/**
 * The page protects itself as a whole: Meta restricts a page whose messages draw much negative
 * feedback, and JoinChat refusing a promotion (`success: false`, 10010 for someone who blocked the
 * page or never opted in) is the sign of it the app sees. When too many of a shop's recent
 * promotions are refused, its promotions (welcome coupons, recalls) pause; receipts and shipping
 * notices keep going inside the 24-hour window. Messages the shop sends tagged past the window
 * risk the page the same way: their refusals count, and they pause with the promotions.
 */

/** The rule's window: promotions JoinChat answered within the last 24 hours. */
export const PAUSE_WINDOW_MS = 24 * 3_600_000;
/** At least this many answered promotions before the rate means anything (two refusals of three is chance). */
export const PAUSE_MIN_SENDS = 20;
/** Paused when more than this percentage of them were refused (in integers: no float rounding at the edge). */
export const PAUSE_REFUSED_PERCENT = 30;

/** The promotions JoinChat answered since `since`: sent, or refused with a code. */
export interface PromotionAnswers {
  attempted: number;
  refused: number;
  since: Date;
}

export interface PromotionPause {
  paused: boolean;
  attempted: number;
  refused: number;
  /** Start of the window counted: 24 hours ago, or when the merchant last resumed promotions if later. */
  since: string;
  /** The rule, in words. */
  rule: string;
}

export const PAUSE_RULE = `Promotions, and messages sent tagged past the 24-hour window, pause when, over the last 24 hours, at least ${PAUSE_MIN_SENDS} of them were answered by JoinChat and more than ${PAUSE_REFUSED_PERCENT}% of them were refused (JoinChat answered success: false, such as 10010 "recipient not found").`;

/** Why a promotion was not sent while promotions are paused; src/policy/reasons.ts puts it in plain words. */
export const pausedReason = (a: PromotionAnswers) =>
  `promotions paused: JoinChat refused ${a.refused} of the last ${a.attempted} promotional or tagged messages (since ${a.since.toISOString()}), more than ${PAUSE_REFUSED_PERCENT}%`;

/**
 * Where the window starts: 24 hours before `now`, or the merchant's resume if later (a resume
 * starts the count afresh, so the pause comes back only if new refusals earn it).
 */
export function pauseWindowStart(now: Date, resumedAt: string | undefined): Date {
  const day = new Date(now.getTime() - PAUSE_WINDOW_MS);
  const resumed = resumedAt ? new Date(resumedAt) : null;
  return resumed && resumed > day ? resumed : day;
}

/** Whether promotions are paused, from what JoinChat answered; `enabled` false: the shop turned the protection off. */
export function promotionPause(a: PromotionAnswers, enabled: boolean): PromotionPause {
  const paused = enabled && a.attempted >= PAUSE_MIN_SENDS && a.refused * 100 > a.attempted * PAUSE_REFUSED_PERCENT;
  return { paused, attempted: a.attempted, refused: a.refused, since: a.since.toISOString(), rule: PAUSE_RULE };
}

/** Messenger's standard messaging window: a user's own action opens 24 hours of free messaging. */
export const MESSAGING_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Whether a promotional (untagged) message may still go out at `at`, given when the window opened. */
export function isWindowOpen(openedAt: Date | null, at: Date): boolean {
  return openedAt !== null && at.getTime() - openedAt.getTime() < MESSAGING_WINDOW_MS;
}

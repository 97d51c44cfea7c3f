import type { AppContext } from "../context";
import { rotateEncryptionKey } from "../store/key-rotation";
import { EncryptionKeyError } from "../store/secrets";
import { UsageError, parseCommandFlags, type FlagSpec } from "./args";
import type { Print } from "./commands";

/** No flags: both keys come from the environment (or .env), where `ps` and shell history do not show them. */
export const KEYS_ROTATE_FLAGS: Record<string, FlagSpec> = {};

/** How often a long rotation says how far it is. */
const PROGRESS_EVERY = 1_000;

/**
 * `keys:rotate`: every secret at rest sealed again, from ENCRYPTION_KEY to NEW_ENCRYPTION_KEY. Safe to
 * stop at any point and run again (src/store/key-rotation.ts); the app's processes should be
 * stopped meanwhile, since they read with ENCRYPTION_KEY alone.
 */
export async function keysRotate(ctx: AppContext, argv: string[], print: Print): Promise<void> {
  parseCommandFlags(argv, KEYS_ROTATE_FLAGS);
  const { ENCRYPTION_KEY: oldKey, NEW_ENCRYPTION_KEY: newKey } = ctx.config;
  if (!newKey) throw new UsageError("NEW_ENCRYPTION_KEY is not set: put the new key (openssl rand -hex 32) in the environment or .env, not on the command line");
  if (!oldKey) throw new UsageError("ENCRYPTION_KEY is not set: it must be the key the stored secrets are sealed with now");
  if (newKey === oldKey) throw new UsageError("NEW_ENCRYPTION_KEY is the same as ENCRYPTION_KEY: nothing to rotate");
  const report = await rotateEncryptionKey(ctx.db, oldKey, newKey, (done) => done % PROGRESS_EVERY === 0 && print(`... ${done} rows`));
  print(
    `re-sealed ${report.resealed} rows with the new key, ${report.alreadyNew} already were` +
      (report.sealedFromClear ? `, sealed ${report.sealedFromClear} sessions stored in clear by an older version` : ""),
  );
  if (report.unreadable.length > 0) {
    const named = report.unreadable.slice(0, 5).map((r) => `${r.table} ${r.id}`);
    throw new EncryptionKeyError(
      `${report.unreadable.length} rows open with neither key and were left as they are (${named.join(", ")}${report.unreadable.length > 5 ? ", ..." : ""}): is ENCRYPTION_KEY the key they were sealed with?`,
    );
  }
  if (report.changedMeanwhile > 0) {
    throw new EncryptionKeyError(`${report.changedMeanwhile} rows changed while they were re-sealed (an app process still running?): stop the app and run keys:rotate again`);
  }
  print("every secret now opens with NEW_ENCRYPTION_KEY alone: set ENCRYPTION_KEY to it, remove NEW_ENCRYPTION_KEY, then start the app");
}

import type { Db } from "./db";
import { decryptSecret, encryptSecret, EncryptionKeyError, isSealed } from "./secrets";

/** What a rotation did, row by row: a rerun counts the rows a first run finished as `alreadyNew`. */
export interface RotationReport {
  /** Rows opened with the old key and sealed again with the new one. */
  resealed: number;
  /** Rows the new key already opens (a rerun after an interruption). */
  alreadyNew: number;
  /** Session tokens an older version stored in clear, sealed now with the new key. */
  sealedFromClear: number;
  /** Rows neither key opens, by table and id: left as they are. */
  unreadable: { table: "Shop" | "Session"; id: string }[];
  /** Rows the app changed between this run's read and its write (an app process still running on the old key): left for a rerun. */
  changedMeanwhile: number;
}

/** One stored value, sealed again under `newKey`: null when the new key already opens it (nothing to write). */
type Reseal = (stored: string) => { value: string; from: "old" | "clear" } | null;

function resealerFor(oldKey: string, newKey: string): Reseal {
  const opens = (sealed: string, key: string) => {
    try {
      return decryptSecret(sealed, key);
    } catch (err) {
      if (err instanceof EncryptionKeyError) return null;
      throw err;
    }
  };
  return (stored) => {
    if (!isSealed(stored)) return { value: encryptSecret(stored, newKey), from: "clear" };
    if (opens(stored, newKey) !== null) return null;
    const plain = opens(stored, oldKey);
    if (plain === null) throw new EncryptionKeyError("opened by neither key");
    return { value: encryptSecret(plain, newKey), from: "old" };
  };
}

/**
 * Seals every secret at rest (each shop's JoinChat secret, each session's access and refresh
 * tokens) again, from `oldKey` to `newKey`. Each row is one conditional update (only if it still
 * holds what was read, so a value the app stored meanwhile is never overwritten with an older
 * one): a rotation stopped at any point leaves every row readable with one of the two keys, and
 * running it again finishes it, skipping what the new key already opens. `onRow` is called after
 * each row, in order (progress; a throw stops the rotation there).
 */
export async function rotateEncryptionKey(db: Db, oldKey: string, newKey: string, onRow: (done: number) => void = () => {}): Promise<RotationReport> {
  const reseal = resealerFor(oldKey, newKey);
  const report: RotationReport = { resealed: 0, alreadyNew: 0, sealedFromClear: 0, unreadable: [], changedMeanwhile: 0 };
  let done = 0;
  const count = (changes: ({ from: "old" | "clear" } | null)[], written: number) => {
    const made = changes.filter((c) => c !== null);
    if (made.length === 0) report.alreadyNew++;
    else if (written === 0) report.changedMeanwhile++;
    else if (made.some((c) => c.from === "old")) report.resealed++;
    else report.sealedFromClear++;
    onRow(++done);
  };

  const shops = await db.shop.findMany({ where: { joinchatSecretEnc: { not: null } }, select: { domain: true, joinchatSecretEnc: true }, orderBy: { domain: "asc" } });
  for (const shop of shops) {
    const stored = shop.joinchatSecretEnc!;
    let change;
    try {
      change = reseal(stored);
    } catch (err) {
      if (!(err instanceof EncryptionKeyError)) throw err;
      report.unreadable.push({ table: "Shop", id: shop.domain });
      continue;
    }
    const written = change ? (await db.shop.updateMany({ where: { domain: shop.domain, joinchatSecretEnc: stored }, data: { joinchatSecretEnc: change.value } })).count : 0;
    count([change], written);
  }

  const sessions = await db.session.findMany({ select: { id: true, accessToken: true, refreshToken: true }, orderBy: { id: "asc" } });
  for (const session of sessions) {
    let access, refresh;
    try {
      access = reseal(session.accessToken);
      refresh = session.refreshToken === null ? null : reseal(session.refreshToken);
    } catch (err) {
      if (!(err instanceof EncryptionKeyError)) throw err;
      report.unreadable.push({ table: "Session", id: session.id });
      continue;
    }
    // Both tokens in one statement: a session is never left half under one key, half under the other.
    const written =
      access || refresh
        ? (
            await db.session.updateMany({
              where: { id: session.id, accessToken: session.accessToken, refreshToken: session.refreshToken },
              data: { ...(access ? { accessToken: access.value } : {}), ...(refresh ? { refreshToken: refresh.value } : {}) },
            })
          ).count
        : 0;
    count([access, refresh], written);
  }
  return report;
}

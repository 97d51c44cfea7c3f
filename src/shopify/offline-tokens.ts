import crypto from "node:crypto";
import { HttpResponseError, RequestedTokenType, type Session, type Shopify } from "@shopify/shopify-api";
import type { Clock } from "../clock";
import type { AdminGraphql } from "./admin-graphql";
import type { Logger } from "../log";
import { EncryptionKeyError } from "../store/secrets";
import type { SessionStore } from "../store/sessions";
import type { ShopStore } from "../store/shops";
import { AppError } from "../errors";

/** A token is refreshed when it has less than this left, so no call starts with one about to lapse. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** A refresh token with less than this left is used by the daily upkeep (renewDue), before it lapses. */
export const REFRESH_TOKEN_MARGIN_MS = 7 * 86_400_000;

/** How long a process may hold a shop's token lease: past it (the holder died), another takes over. */
export const TOKEN_LEASE_MS = 30_000;
/** How often a process waiting on another's renewal reads the stored token again. */
const LEASE_POLL_MS = 100;

/** The shop has no usable offline token: the merchant must open the app in Shopify admin once. */
export class NoOfflineTokenError extends AppError {
  readonly code = "no_offline_token";
  readonly name = "NoOfflineTokenError";
  constructor(
    readonly shop: string,
    reason: string,
  ) {
    super(`no usable Shopify access token for ${shop} (${reason}): open the app in the shop's Shopify admin once to renew it`);
  }
}

/**
 * The shops' expiring offline access tokens. Installation is Shopify-managed: Shopify never calls
 * the app to install it, so the embedded admin's first request exchanges its App Bridge session
 * token for an offline token that expires, with its refresh token (token exchange), and marks the
 * shop installed (a reinstall after an uninstall re-activates it). Background work asks for a
 * session through forShop(), which refreshes the token before it expires; a 401 from the Admin
 * API refreshes it at once (refreshAfterUnauthorized). A token Shopify refuses for good (a
 * refused refresh, a 401 after a refresh) is dropped, so the next admin load exchanges again. A
 * non-expiring token an older version stored is migrated to an expiring one on first use, or by
 * the worker's daily upkeep (renewDue), which also keeps quiet shops' refresh tokens from lapsing.
 *
 * Shopify rotates the refresh token on every refresh and revokes older tokens when it issues
 * one, so exchanges, refreshes and migrations of one shop never race (renewOnce): one runs at a
 * time across processes, and the others use the token it stored.
 */
export class OfflineTokens {
  private readonly inFlight = new Map<string, Promise<Session>>();
  /** This process, as the holder of a shop's token lease. */
  private readonly holder = `tokens-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;

  constructor(
    private readonly shopify: Shopify,
    private readonly sessions: SessionStore,
    private readonly shops: ShopStore,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /**
   * At an admin request whose session token was verified: exchanges it for an offline token when
   * the shop has none usable (first load after install or reinstall, or a legacy token), and marks
   * the shop installed. Returns whether it exchanged.
   */
  async ensureInstalled(shop: string, sessionToken: string): Promise<boolean> {
    const installedWith = async (s: Session | null) => s !== null && this.isUsable(s) && (await this.shops.find(shop))?.installed === true;
    if (await installedWith(await this.stored(shop))) return false;
    await this.renewOnce(shop, installedWith, async () => {
      const { session: fresh } = await this.shopify.auth.tokenExchange({
        shop,
        sessionToken,
        requestedTokenType: RequestedTokenType.OfflineAccessToken,
        expiring: true,
      });
      await this.sessions.store(fresh);
      await this.shops.markInstalled(shop, this.clock.now());
      this.log.info({ shop, expires: fresh.expires?.toISOString() }, "offline token obtained by token exchange: shop installed");
      return fresh;
    });
    return true;
  }

  /** The shop's offline session with a token valid for a while yet, or null when it has none. */
  async forShop(shop: string): Promise<Session | null> {
    const session = await this.sessions.offline(shop).catch((err) => {
      if (err instanceof EncryptionKeyError) throw new NoOfflineTokenError(shop, err.message);
      throw err;
    });
    if (!session) return null;
    if (this.isFresh(session)) return session;
    return this.renewOnce(
      shop,
      (s) => s !== null && this.isFresh(s),
      (s) => this.renew(shop, s),
    );
  }

  /** After the Admin API answered 401 to `stale`: a new token, unless this shop's token cannot be renewed. */
  async refreshAfterUnauthorized(stale: Session): Promise<Session> {
    // Renewed meanwhile, by another call or process: that token is the one to use.
    return this.renewOnce(
      stale.shop,
      (s) => s !== null && s.accessToken !== stale.accessToken,
      (s) => this.renew(stale.shop, s),
    );
  }

  /**
   * The upkeep no request does: every remaining non-expiring token is migrated to an expiring one
   * (Shopify invalidates them on 2027-01-01), and every refresh token with less than
   * REFRESH_TOKEN_MARGIN_MS left is used, so a shop whose admin no one opens and that needs no
   * Admin API call keeps a token. One shop's failure is logged and stops no other.
   */
  async renewDue(): Promise<{ renewed: number; failed: number }> {
    const now = this.clock.now();
    const by = new Date(now.getTime() + REFRESH_TOKEN_MARGIN_MS);
    const done = (s: Session | null) => s !== null && s.expires !== undefined && (s.refreshTokenExpires?.getTime() ?? Infinity) > by.getTime();
    let renewed = 0;
    let failed = 0;
    for (const shop of await this.sessions.offlineDueForRenewal(now, by)) {
      try {
        await this.renewOnce(shop, done, (s) => this.renew(shop, s));
        renewed++;
      } catch (err) {
        failed++;
        this.log.warn({ shop, err: (err as Error).message }, "offline token upkeep failed: tried again tomorrow");
      }
    }
    if (renewed + failed > 0) this.log.info({ renewed, failed }, "offline tokens renewed ahead of their lapse");
    return { renewed, failed };
  }

  /** After the Admin API answered 401 to a token just renewed: it is revoked, so it goes unless another has replaced it. */
  async dropRevoked(revoked: Session): Promise<void> {
    const current = await this.sessions.offline(revoked.shop);
    if (current?.accessToken === revoked.accessToken) await this.drop(revoked.shop, "the Admin API answered 401 to it after a refresh");
  }

  /** A token with more than REFRESH_MARGIN_MS left. */
  private isFresh(session: Session): boolean {
    return session.expires !== undefined && session.expires.getTime() - this.clock.now().getTime() > REFRESH_MARGIN_MS;
  }

  /** A token that has time left, or a refresh token that does. */
  private isUsable(session: Session): boolean {
    const now = this.clock.now().getTime();
    if (!session.expires) return false;
    return session.expires.getTime() > now || (session.refreshTokenExpires?.getTime() ?? 0) > now;
  }

  /** The stored session, or null when there is none or the current ENCRYPTION_KEY cannot open it (it is replaced then). */
  private stored(shop: string): Promise<Session | null> {
    return this.sessions.offline(shop).catch((err) => {
      if (err instanceof EncryptionKeyError) return null;
      throw err;
    });
  }

  /** A new token for the one stored: refreshed, or migrated when it does not expire. */
  private renew(shop: string, stored: Session | null): Promise<Session> {
    if (!stored) throw new NoOfflineTokenError(shop, "none is stored: the app was uninstalled, or Shopify refused the token");
    return stored.expires ? this.refresh(stored) : this.migrate(stored);
  }

  private async refresh(session: Session): Promise<Session> {
    const now = this.clock.now().getTime();
    if (!session.refreshToken || (session.refreshTokenExpires && session.refreshTokenExpires.getTime() <= now)) {
      throw new NoOfflineTokenError(session.shop, "the refresh token has expired");
    }
    try {
      const { session: fresh } = await this.shopify.auth.refreshToken({ shop: session.shop, refreshToken: session.refreshToken });
      await this.sessions.store(fresh);
      this.log.info({ shop: session.shop, expires: fresh.expires?.toISOString() }, "offline token refreshed");
      return fresh;
    } catch (err) {
      // Another process may have used the refresh token first: its token is in the database.
      const stored = await this.sessions.offline(session.shop);
      if (stored && stored.accessToken !== session.accessToken && stored.expires && stored.expires.getTime() > now) return stored;
      if (isRefusedGrant(err)) await this.drop(session.shop, "Shopify refused its refresh (invalid_grant)");
      throw new NoOfflineTokenError(session.shop, `refresh refused: ${(err as Error).message.split("\n")[0]}`);
    }
  }

  /**
   * A token Shopify refused for good (it revokes a shop's older tokens when another is issued: a
   * staging copy of the app, a second exchange) still looks usable by its dates: it goes, so the
   * next admin load exchanges its session token for a new one.
   */
  private async drop(shop: string, why: string): Promise<void> {
    await this.sessions.deleteOffline(shop);
    this.log.warn({ shop }, `offline token dropped: ${why}; the next admin load exchanges a new one`);
  }

  /** A non-expiring token (stored by an older version, or an authorization-code install) becomes an expiring one. */
  private async migrate(session: Session): Promise<Session> {
    try {
      const { session: fresh } = await this.shopify.auth.migrateToExpiringToken({ shop: session.shop, nonExpiringOfflineAccessToken: session.accessToken ?? "" });
      await this.sessions.store(fresh);
      this.log.info({ shop: session.shop }, "non-expiring offline token migrated to an expiring one");
      return fresh;
    } catch (err) {
      throw new NoOfflineTokenError(session.shop, `migration to an expiring token refused: ${(err as Error).message.split("\n")[0]}`);
    }
  }

  /**
   * Obtains a new token (`renew`: exchange, refresh, migration) once across processes: Shopify
   * revokes a shop's older tokens when it issues another, so two processes renewing at once
   * would leave one holding a dead token. In this process one call per shop runs at a time; across
   * processes, the one that takes the shop's lease in the database renews, and the others read
   * the stored token until `ready` accepts it or the lease is theirs. Whoever takes the lease
   * reads the stored token first: another may have renewed it since it last looked.
   */
  private renewOnce(shop: string, ready: (stored: Session | null) => boolean | Promise<boolean>, renew: (stored: Session | null) => Promise<Session>): Promise<Session> {
    return this.single(shop, async () => {
      for (let waited = 0; ; waited += LEASE_POLL_MS) {
        const now = this.clock.now();
        if (await this.shops.takeTokenLease(shop, this.holder, now, new Date(now.getTime() + TOKEN_LEASE_MS))) {
          try {
            const stored = await this.stored(shop);
            return stored && (await ready(stored)) ? stored : await renew(stored);
          } finally {
            await this.shops.releaseTokenLease(shop, this.holder);
          }
        }
        if (waited >= TOKEN_LEASE_MS) throw new NoOfflineTokenError(shop, "another process has been renewing it for too long");
        await new Promise((r) => setTimeout(r, LEASE_POLL_MS));
        const stored = await this.stored(shop);
        if (stored && (await ready(stored))) return stored;
      }
    });
  }

  private single(shop: string, work: () => Promise<Session>): Promise<Session> {
    const running = this.inFlight.get(shop);
    if (running) return running;
    const p = work().finally(() => this.inFlight.delete(shop));
    this.inFlight.set(shop, p);
    return p;
  }
}

/** Shopify's answer to a refresh token it no longer honours: HTTP 400 or 401 with `invalid_grant`. */
function isRefusedGrant(err: unknown): boolean {
  return err instanceof HttpResponseError && [400, 401].includes(err.response.code) && (err.response.body as { error?: unknown } | undefined)?.error === "invalid_grant";
}

/** The part of the app's context an offline Admin API call needs (declared here, so this module does not import the context that names it). */
export interface OfflineAdminDeps {
  admin: AdminGraphql | null;
  tokens: OfflineTokens | null;
}

/**
 * The Admin API client and the shop's offline session for a call the app makes on its own (a
 * welcome code, store credit), or why it cannot: the token's problem, or `reason: null` when the
 * app has no install there (the caller says what needs it).
 */
export async function offlineAdminOf(ctx: OfflineAdminDeps, shop: string): Promise<{ admin: AdminGraphql; session: Session } | { reason: string | null }> {
  if (!ctx.admin) return { reason: null };
  try {
    const session = await ctx.tokens?.forShop(shop);
    return session ? { admin: ctx.admin, session } : { reason: null };
  } catch (err) {
    if (err instanceof NoOfflineTokenError) return { reason: err.message };
    throw err;
  }
}

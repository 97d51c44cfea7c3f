/**
 * What a new customer gets besides the welcome coupon: loyalty points (a figure the merchant sets,
 * only named in the text) and store credit, granted through Shopify's `storeCreditAccountCredit`.
 *
 * The grant is made at most once per customer. Shopify's mutation takes no idempotency key, so
 * the app's own row (src/store/credit-grants.ts, keyed by shop and customer) is the key: it is
 * claimed (pending) before Shopify is asked and marked granted after. A retried or redelivered
 * event finds the granted row and names the same credit without asking again. A pending row whose
 * answer never came (the process died between Shopify's answer and the record, or the answer was
 * lost: a 5xx or a network error after the request left) may or may not have been granted: it is
 * not asked again (never twice), the message goes without credit and the event's note tells the
 * merchant to look at the customer's store credit in Shopify admin.
 */
import type { EventContext } from "./contract";
import { MAX_EVENT_ATTEMPTS } from "./contract";
import type { NewCustomer } from "./payloads";
import type { ShopRecord } from "../store/shops";
import { money } from "../money";
import { renderText } from "./templates";
import { AdminApiRefusedError, AdminApiUnavailableError } from "../shopify/admin-graphql";
import { offlineAdminOf } from "../shopify/offline-tokens";
import { creditStoreCredit, sessionMayCredit, STORE_CREDIT_SCOPE } from "../shopify/store-credit";
import type { CreditGrant } from "../store/credit-grants";

/** The credit a customer was granted, as the message names it. */
export interface GrantedCredit {
  amount: string;
  currency: string;
}

/** "5.00 USD": the amount at the currency's decimals, then its code (reads the same in every language). */
export const creditText = (c: GrantedCredit) => `${money(c.amount, c.currency)} ${c.currency}`;

/**
 * The {{rewards}} phrase of the welcome text: the points phrase when the shop set points, the
 * store-credit phrase when credit was granted, nothing otherwise (so the default text reads
 * well either way).
 */
export function rewardValues(shop: ShopRecord, credit: GrantedCredit | null): { points?: string; store_credit?: string; rewards: string } {
  const points = shop.settings.signupReward.points;
  const values = { ...(points ? { points: String(points) } : {}), ...(credit ? { store_credit: creditText(credit) } : {}) };
  const phrases = [...(values.points ? [renderText(shop, "welcome.points", values)] : []), ...(values.store_credit ? [renderText(shop, "welcome.store_credit", values)] : [])];
  const joined = shop.settings.language === "zh" ? phrases.join("") : phrases.map((p) => ` ${p}`).join("");
  return { ...values, rewards: joined };
}

const grantOf = (g: Pick<CreditGrant, "amount" | "currency">): GrantedCredit => ({ amount: g.amount, currency: g.currency });

/**
 * The customer's signup credit: granted now, or found granted by an earlier try; null with a note
 * when none is named (not set: no note). Like the unique coupon, it needs the app's install (an
 * offline token) and its scope; Shopify's refusal leaves the message without credit and the note
 * says why. While tries remain, a throttled Admin API throws so the event is handled again later.
 */
export async function signupCreditFor({ ctx, shop, event }: EventContext<NewCustomer>, customerId: string): Promise<{ credit: GrantedCredit | null; note?: string }> {
  const s = shop!;
  const setting = s.settings.signupReward.storeCredit;
  if (!setting) return { credit: null };
  const without = (why: string) => ({ credit: null, note: `${why}: the welcome message names no store credit` });
  const earlier = await ctx.creditGrants.find(s.domain, customerId);
  if (earlier) return earlierGrant(earlier, without);

  const api = await offlineAdminOf(ctx, s.domain);
  if ("reason" in api) return without(api.reason ?? "store credit needs the app installed (no offline token: open the app in Shopify admin once)");
  const { admin, session } = api;
  if (!sessionMayCredit(session))
    return without(`store credit needs the ${STORE_CREDIT_SCOPE} access scope, not granted yet (approve the app's updated permissions in Shopify admin)`);

  const now = ctx.clock.now();
  const grant = {
    shopDomain: s.domain,
    customerId,
    amount: setting.amount,
    currency: setting.currency,
    expiresAt: setting.expiresInDays ? new Date(now.getTime() + setting.expiresInDays * 86_400_000) : null,
  };
  const claimed = await ctx.creditGrants.claim(grant);
  if (claimed) return earlierGrant(claimed, without);
  let transactionId: string;
  try {
    transactionId = await creditStoreCredit(admin, session, grant);
  } catch (err) {
    if (err instanceof AdminApiUnavailableError && err.ambiguous) {
      // The request may have been carried out: the pending row stays, so no try asks again.
      return without(
        `Shopify's answer to the store credit grant was lost (${err.reason}): it may or may not have been made, and is not asked again; check the customer's store credit in Shopify admin`,
      );
    }
    if (err instanceof AdminApiRefusedError) {
      await ctx.creditGrants.release(s.domain, customerId);
      return without(err.message);
    }
    if (err instanceof AdminApiUnavailableError) {
      // Throttled through every wait: Shopify did nothing, so a later try may ask.
      await ctx.creditGrants.release(s.domain, customerId);
      if (event.attempts >= MAX_EVENT_ATTEMPTS) return without(err.message);
    }
    throw err;
  }
  await ctx.creditGrants.markGranted(s.domain, customerId, transactionId);
  return { credit: grantOf(grant) };
}

function earlierGrant(g: CreditGrant, without: (why: string) => { credit: null; note: string }): { credit: GrantedCredit | null; note?: string } {
  if (g.state === "granted") return { credit: grantOf(g) };
  return without(
    "a store credit grant for this customer was asked of Shopify on an earlier try and its answer was never recorded (a crash or a lost answer): it is not asked again, so the customer is never credited twice; check the customer's store credit in Shopify admin",
  );
}

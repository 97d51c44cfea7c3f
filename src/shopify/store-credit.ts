import type { Session } from "@shopify/shopify-api";
import { AdminApiRefusedError, type AdminGraphql } from "./admin-graphql";

/** The access scope storeCreditAccountCredit requires. */
export const STORE_CREDIT_SCOPE = "write_store_credit_account_transactions";

// The id may be the account's or its owner's: a customer's id opens the account in that currency
// when the customer has none.
const CREDIT = `mutation SignupCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
  storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
    storeCreditAccountTransaction { id amount { amount currencyCode } expiresAt }
    userErrors { field code message }
  }
}`;
/** What a simple mutation costs in Shopify's bucket; the throttle waits for this much. */
const CREDIT_COST = 10;

interface CreditData {
  storeCreditAccountCredit: {
    storeCreditAccountTransaction: { id: string; amount: { amount: string; currencyCode: string }; expiresAt: string | null } | null;
    userErrors: { field?: string[] | null; code?: string | null; message: string }[];
  };
}

/** Whether a session's granted scopes (Shopify's comma list) allow the grant; an unknown list is tried. */
export function sessionMayCredit(session: Session): boolean {
  if (!session.scope) return true;
  return session.scope.split(",").some((s) => s.trim() === STORE_CREDIT_SCOPE);
}

/**
 * Credits the customer's store credit account with `amount` `currency` (expiring at `expiresAt`)
 * and returns Shopify's transaction id. The mutation takes no idempotency key, so it is sent once
 * (see AdminGraphql.request's `once`): the caller keeps the grant idempotent (src/store/credit-grants.ts).
 * Throws AdminApiRefusedError when Shopify refuses (userErrors, missing scope).
 */
export async function creditStoreCredit(
  admin: AdminGraphql,
  session: Session,
  o: { customerId: string; amount: string; currency: string; expiresAt: Date | null },
): Promise<string> {
  const data = await admin.request<CreditData>(
    session,
    CREDIT,
    {
      id: `gid://shopify/Customer/${o.customerId}`,
      creditInput: { creditAmount: { amount: o.amount, currencyCode: o.currency }, ...(o.expiresAt ? { expiresAt: o.expiresAt.toISOString() } : {}) },
    },
    CREDIT_COST,
    { once: true },
  );
  const { storeCreditAccountTransaction: transaction, userErrors } = data.storeCreditAccountCredit;
  if (userErrors.length || !transaction) {
    throw new AdminApiRefusedError(userErrors.map((e) => `${e.field?.join(".") ?? "input"}: ${e.message}${e.code ? ` (${e.code})` : ""}`).join("; ") || "no transaction returned");
  }
  return transaction.id;
}

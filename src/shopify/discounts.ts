import crypto from "node:crypto";
import type { Session } from "@shopify/shopify-api";
import { AdminApiRefusedError, type AdminGraphql } from "./admin-graphql";

/** The fields a welcome code is made of (the shop's `uniqueCoupon` settings). */
export interface UniqueCouponSettings {
  prefix: string;
  percentage: number;
  validDays: number;
}

const CREATE_CODE = `mutation WelcomeCode($discount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $discount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;
/** What Shopify documents the mutation to cost; the throttle waits for this much. */
const CREATE_CODE_COST = 10;

interface CreateCodeData {
  discountCodeBasicCreate: { codeDiscountNode: { id: string } | null; userErrors: { field?: string[] | null; code?: string | null; message: string }[] };
}

const BASE32 = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/**
 * The customer's code: derived from the shop and customer with a key only the app holds, so an
 * event handled twice (a retry after a crash) asks for the same code and never makes a second one.
 */
export function welcomeCodeFor(key: string, shop: string, customerId: string, prefix: string): string {
  const digest = crypto.createHmac("sha256", key).update(`welcome:${shop}:${customerId}`).digest();
  let suffix = "";
  for (let i = 0; i < 10; i++) suffix += BASE32[digest[i]! % BASE32.length];
  return `${prefix}-${suffix}`;
}

/**
 * Creates the customer's single-use welcome code (percentage off everything, once, this
 * customer only, for `validDays`) and returns it. A code Shopify already holds (TAKEN) is the
 * one an earlier try created: it is returned as is.
 */
export async function createWelcomeCode(
  admin: AdminGraphql,
  session: Session,
  o: { code: string; customerId: string; settings: UniqueCouponSettings; now: Date },
): Promise<string> {
  const endsAt = new Date(o.now.getTime() + o.settings.validDays * 86_400_000);
  const data = await admin.request<CreateCodeData>(
    session,
    CREATE_CODE,
    {
      discount: {
        title: `Welcome ${o.code}`,
        code: o.code,
        startsAt: o.now.toISOString(),
        endsAt: endsAt.toISOString(),
        usageLimit: 1,
        appliesOncePerCustomer: true,
        context: { customers: { add: [`gid://shopify/Customer/${o.customerId}`] } },
        customerGets: { value: { percentage: o.settings.percentage / 100 }, items: { all: true } },
      },
    },
    CREATE_CODE_COST,
  );
  const errors = data.discountCodeBasicCreate.userErrors;
  if (errors.length === 0 || errors.every((e) => e.code === "TAKEN")) return o.code;
  throw new AdminApiRefusedError(errors.map((e) => `${e.field?.join(".") ?? "input"}: ${e.message}`).join("; "));
}

// Calls to the app's admin API with a session token: App Bridge's when embedded in Shopify
// admin, else the standalone one from `npm run cli -- admin:login` (kept for this tab only).

declare global {
  interface Window {
    shopify?: { idToken(): Promise<string> };
  }
}

const STORAGE_KEY = "joinchat-admin-token";

/** Takes a `?token=` from the address once, keeps it in sessionStorage, and removes it from the bar. */
export function adoptStandaloneToken(): void {
  const url = new URL(location.href);
  const token = url.searchParams.get("token");
  if (!token) return;
  sessionStorage.setItem(STORAGE_KEY, token);
  url.searchParams.delete("token");
  history.replaceState(null, "", url.toString());
}

async function sessionToken(): Promise<string | null> {
  if (window.shopify?.idToken) return window.shopify.idToken();
  return sessionStorage.getItem(STORAGE_KEY);
}

/** An answer the API refused; `field` names the input at fault. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = await sessionToken();
  const res = await fetch(`/admin/api${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = (await res.json().catch(() => ({}))) as { error?: string; field?: string };
  if (!res.ok) throw new ApiError(data.error ?? `HTTP ${res.status}`, res.status, data.field);
  return data as T;
}

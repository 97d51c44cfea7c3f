// Calls to the app's admin API with a session token: App Bridge's when embedded in Shopify
// admin, else the standalone one from `npm run cli -- admin:login` (kept for this tab only).
import { appBridge } from "./app-bridge";

const STORAGE_KEY = "joinchat-admin-token";

/** The server's word that a fresh session token may succeed where this one was refused (expired, or not yet valid). */
const RETRY_HEADER = "X-Shopify-Retry-Invalid-Session-Request";

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
  return appBridge()?.idToken() ?? sessionStorage.getItem(STORAGE_KEY);
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

const send = (method: string, path: string, body: unknown, token: string | null) =>
  fetch(`/admin/api${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** The answer to a call, sent again once with a fresh token when the server says one may succeed. */
async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const res = await send(method, path, body, await sessionToken());
  // Embedded, App Bridge hands out another token: once, when the server says one may succeed.
  const shopify = appBridge();
  return res.status === 401 && res.headers.get(RETRY_HEADER) === "1" && shopify ? send(method, path, body, await shopify.idToken()) : res;
}

/** A file the API answers (a CSV export), saved as `filename`: fetched with the session token, which a plain link would not carry. */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const res = await call("GET", path);
  if (!res.ok) {
    const data = (await res.json().catch(() => ({}))) as { error?: string; field?: string };
    throw new ApiError(data.error ?? `HTTP ${res.status}`, res.status, data.field);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await call(method, path, body);
  const data = (await res.json().catch(() => ({}))) as { error?: string; field?: string };
  if (!res.ok) throw new ApiError(data.error ?? `HTTP ${res.status}`, res.status, data.field);
  return data as T;
}

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

/** A refused input's problem: the path of its field ("abandonedDelaysMinutes.1") and what is wrong, in words. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An answer the API refused; `field` names the input at fault, `problems` every one it named (the first is `field`'s). */
export class ApiError extends Error {
  readonly problems: FieldProblem[];
  constructor(
    message: string,
    readonly status: number,
    readonly field?: string,
    problems?: FieldProblem[],
  ) {
    super(message);
    this.problems = problems ?? (field ? [{ field, message }] : []);
  }
}

const send = (method: string, path: string, body: unknown, token: string | null) =>
  fetch(`/admin/api${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** The answer to a call, a refusal thrown as ApiError. */
async function request(method: string, path: string, body?: unknown): Promise<Response> {
  let res = await send(method, path, body, await sessionToken());
  // Embedded, App Bridge hands out another token: once, when the server says one may succeed.
  const shopify = appBridge();
  if (res.status === 401 && res.headers.get(RETRY_HEADER) === "1" && shopify) res = await send(method, path, body, await shopify.idToken());
  if (res.ok) return res;
  const data = (await res.json().catch(() => ({}))) as { error?: string; field?: string; errors?: FieldProblem[] };
  throw new ApiError(data.error ?? `HTTP ${res.status}`, res.status, data.field, data.errors);
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(method, path, body);
  return (await res.json().catch(() => ({}))) as T;
}

/** Saves a file the API answers (a CSV export) under the name its Content-Disposition gives: the session token rides in a header, so a plain link cannot. */
export async function download(path: string, fallbackName = "export.csv"): Promise<void> {
  const res = await request("GET", path);
  const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

import { APP_BRIDGE_TAG } from "../../src/http/admin-page";

/**
 * Stands in for App Bridge's CDN script (unreachable here): the `shopify` global the admin uses,
 * recording each call in `window.appBridgeCalls`, and App Bridge's elements, defined and kept out
 * of the page as App Bridge keeps them (they configure Shopify admin around the frame). Session
 * tokens come from the test (`nextToken`, exposed to the page).
 */
export const APP_BRIDGE_STUB = `
  window.appBridgeCalls = { idTokens: 0, toasts: [], saveBar: [] };
  const calls = window.appBridgeCalls;
  window.shopify = {
    async idToken() { calls.idTokens += 1; return window.nextToken(); },
    toast: { show(message, options) { calls.toasts.push({ message, isError: Boolean(options && options.isError) }); return String(calls.toasts.length); } },
    saveBar: {
      async show(id) { calls.saveBar.push(["show", id]); },
      async hide(id) { calls.saveBar.push(["hide", id]); },
    },
  };
  for (const name of ["ui-nav-menu", "ui-save-bar"]) {
    customElements.define(name, class extends HTMLElement { connectedCallback() { this.style.display = "none"; } });
  }
`;

export interface AppBridgeCalls {
  idTokens: number;
  toasts: { message: string; isError: boolean }[];
  saveBar: ["show" | "hide", string][];
}

/** Where the admin page loads App Bridge from (its CDN), for a test to answer with the stub. */
export const APP_BRIDGE_URL = /src="([^"]+)"/.exec(APP_BRIDGE_TAG)![1]!;

/*
 * JoinChat Messenger for Shopify: the storefront script.
 *
 * Loaded on the shop's pages by the theme app extension (extensions/joinchat-embed). It defines
 * the global `joinchatSendToMessengerCallback(uuid)` that JoinChat's SDK calls when a visitor
 * clicks the Send to Messenger (or coupon) plugin, and then:
 *   1. reports the uuid to the app through the shop's App Proxy (POST <proxy path>/link), which
 *      links it to the logged-in customer (Shopify signs the request and adds the customer id);
 *   2. writes it into the cart attribute `joinchat_uuid`, so guest checkouts and orders carry it
 *      in `note_attributes`.
 * The uuid never goes into a URL, and no call leaves the shop's own domain except JoinChat's SDK.
 *
 * Configuration, from the <script> tag: data-sdk-url (the merchant's JoinChat SDK URL) and
 * data-proxy-path (default "/apps/joinchat").
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var sdkUrl = script && script.getAttribute("data-sdk-url");
  var proxyPath = (script && script.getAttribute("data-proxy-path")) || "/apps/joinchat";
  var lastUuid = null;

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
  }

  window.joinchatSendToMessengerCallback = function (uuid) {
    if (typeof uuid !== "string" || !/^[A-Za-z0-9_-]{1,128}$/.test(uuid) || uuid === lastUuid) return;
    lastUuid = uuid;
    post(proxyPath.replace(/\/$/, "") + "/link", { uuid: uuid }).catch(function () {});
    // Shopify.routes.root is "/fr/" and the like on shops with several languages or markets.
    var root = (window.Shopify && window.Shopify.routes && window.Shopify.routes.root) || "/";
    post(root + "cart/update.js", { attributes: { joinchat_uuid: uuid } }).catch(function () {});
  };

  if (sdkUrl && /^https:\/\//.test(sdkUrl) && !document.querySelector('script[data-joinchat-sdk]')) {
    var sdk = document.createElement("script");
    sdk.src = sdkUrl;
    sdk.async = true;
    sdk.setAttribute("data-joinchat-sdk", "");
    document.head.appendChild(sdk);
  }
})();

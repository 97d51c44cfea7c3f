/*
 * JoinChat Messenger for Shopify: the storefront script.
 *
 * An asset of the theme app extension (extensions/joinchat-embed), served by Shopify's CDN and
 * loaded on every page by the app embed. It loads JoinChat's SDK from the URL the merchant set in
 * the app's admin (JoinChat SDK URL), asked of the app through the shop's App Proxy
 * (GET <proxy path>/config, kept for this browser tab for 10 minutes), and defines the global
 * `joinchatSendToMessengerCallback(uuid)` that the SDK calls when a visitor clicks the Send to
 * Messenger (or coupon) plugin, and then:
 *   1. reports the uuid, and the path of the page clicked on, to the app through the shop's App
 *      Proxy (POST <proxy path>/link), which links it to the logged-in customer (Shopify signs the
 *      request and adds the customer id);
 *   2. writes it into the cart attribute `joinchat_uuid`, so guest checkouts and orders carry it
 *      in `note_attributes`.
 * The uuid never goes into a URL, and no call leaves the shop's own domain except JoinChat's SDK.
 *
 * The app block (blocks/messenger-plugin.liquid) writes a placeholder, data-joinchat-plugin="<id>",
 * where the merchant placed one of their JoinChat plugins: this script puts that plugin's own SDK
 * script (JoinChat's install code for it, https://joinchat.ai/js/analytics/sdk/<id>.js) inside it,
 * once per plugin on a page, and does not load the shop-wide SDK URL again when it is that one.
 *
 * Configuration, from the <script> tag the app embed writes: where the app proxy is on this shop,
 * data-proxy-prefix (one of Shopify's four: apps, a, community, tools) and data-proxy-subpath
 * (the merchant may change both); either one missing or not of that form reads as the app's own
 * ("apps", "joinchat"), so a request never goes anywhere but a proxy path on the shop.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var attr = function (name) {
    return ((script && script.getAttribute(name)) || "").trim();
  };
  var prefix = attr("data-proxy-prefix");
  var subpath = attr("data-proxy-subpath");
  if (!/^(apps|a|community|tools)$/.test(prefix)) prefix = "apps";
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(subpath)) subpath = "joinchat";
  var proxyPath = "/" + prefix + "/" + subpath;
  var CONFIG_KEY = "joinchat-config";
  var CONFIG_TTL_MS = 10 * 60 * 1000;
  // Where JoinChat serves a plugin's SDK script (its install code: <script src="...<id>.js">).
  var PLUGIN_SDK = "https://joinchat.ai/js/analytics/sdk/";
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
    // The page it was clicked on, for the merchant's Subscribers list: its path only, never the query.
    post(proxyPath + "/link", { uuid: uuid, page: location.pathname }).catch(function () {});
    // Shopify.routes.root is "/fr/" and the like on shops with several languages or markets.
    var root = (window.Shopify && window.Shopify.routes && window.Shopify.routes.root) || "/";
    post(root + "cart/update.js", { attributes: { joinchat_uuid: uuid } }).catch(function () {});
  };

  /** Adds JoinChat's SDK script `sdkUrl` to `parent` (the head by default), unless the page has it already. */
  function loadSdk(sdkUrl, parent) {
    if (!sdkUrl || !/^https:\/\//.test(sdkUrl)) return;
    var loaded = document.querySelectorAll("script[data-joinchat-sdk]");
    for (var i = 0; i < loaded.length; i++) if (loaded[i].getAttribute("src") === sdkUrl) return;
    var sdk = document.createElement("script");
    sdk.src = sdkUrl;
    sdk.async = true;
    sdk.setAttribute("data-joinchat-sdk", "");
    (parent || document.head).appendChild(sdk);
  }

  // The app block's plugins, each in its placeholder, where JoinChat's SDK shows it. The id is the
  // block's setting: only a plain id makes a URL, and only on JoinChat's own SDK path.
  function mountPlugins() {
    var spots = document.querySelectorAll("[data-joinchat-plugin]");
    for (var i = 0; i < spots.length; i++) {
      var id = (spots[i].getAttribute("data-joinchat-plugin") || "").trim();
      if (/^[A-Za-z0-9_-]{1,64}$/.test(id)) loadSdk(PLUGIN_SDK + id + ".js", spots[i]);
    }
  }
  mountPlugins();
  // The theme editor renders a section again when the merchant adds or changes the block.
  document.addEventListener("shopify:section:load", mountPlugins);

  // The shop's settings, once per tab and 10 minutes: not a request to the app on every page view.
  var cached = null;
  try {
    cached = JSON.parse(sessionStorage.getItem(CONFIG_KEY) || "null");
  } catch (e) {
    // Storage blocked (private mode) or unreadable: ask the app instead.
  }
  if (cached && Date.now() - cached.at < CONFIG_TTL_MS) return loadSdk(cached.sdkUrl);
  fetch(proxyPath + "/config", { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (res) {
      return res.ok ? res.json() : null;
    })
    .then(function (config) {
      if (!config) return;
      try {
        sessionStorage.setItem(CONFIG_KEY, JSON.stringify({ at: Date.now(), sdkUrl: config.sdkUrl }));
      } catch (e) {
        // Not kept: the next page view asks again.
      }
      loadSdk(config.sdkUrl);
    })
    .catch(function () {});
})();

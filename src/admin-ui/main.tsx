import { createRoot } from "react-dom/client";
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import { AppProvider, Banner, Card, Frame, Page, SkeletonBodyText, Tabs, Toast } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { adoptStandaloneToken, api, ApiError } from "./api";
import { appBridge, NavMenu, sectionPath } from "./app-bridge";
import type { PageProps, ShopView } from "./types";

// Each page is a chunk of its own, fetched the first time it is opened.
const SettingsPage = lazy(() => import("./SettingsPage").then((m) => ({ default: m.SettingsPage })));
const TemplatesPage = lazy(() => import("./TemplatesPage").then((m) => ({ default: m.TemplatesPage })));
const DeliveriesPage = lazy(() => import("./DeliveriesPage").then((m) => ({ default: m.DeliveriesPage })));
const SubscribersPage = lazy(() => import("./SubscribersPage").then((m) => ({ default: m.SubscribersPage })));
const ResultsPage = lazy(() => import("./ResultsPage").then((m) => ({ default: m.ResultsPage })));
const PrivacyPage = lazy(() => import("./PrivacyPage").then((m) => ({ default: m.PrivacyPage })));

const SECTIONS = [
  { id: "settings", content: "Settings" },
  { id: "templates", content: "Templates" },
  { id: "deliveries", content: "Deliveries" },
  { id: "subscribers", content: "Subscribers" },
  { id: "results", content: "Results" },
  { id: "privacy", content: "Data requests" },
] as const;
type SectionId = (typeof SECTIONS)[number]["id"];

/** The section the address names: `#templates` standalone, `/templates` in Shopify admin's navigation menu; else Settings. */
const sectionOfLocation = (): SectionId => {
  const named = location.hash.slice(1) || location.pathname.split("/").pop();
  return SECTIONS.find((s) => s.id === named)?.id ?? "settings";
};

const Loading = ({ children }: { children: ReactNode }) => (
  <Suspense
    fallback={
      <Card>
        <SkeletonBodyText lines={8} />
      </Card>
    }
  >
    {children}
  </Suspense>
);

function App() {
  const shopify = appBridge();
  const [section, setSection] = useState<SectionId>(sectionOfLocation());
  // Settings and Templates stay mounted once opened: unsaved edits survive a look at another section.
  const [opened, setOpened] = useState<ReadonlySet<SectionId>>(new Set([section]));
  const [shop, setShop] = useState<ShopView | null>(null);
  const [expired, setExpired] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [toast, setToast] = useState<{ message: string; error: boolean } | null>(null);

  const onError = (err: unknown) => {
    if (err instanceof ApiError && err.status === 401) setExpired(true);
    else setFailure(err instanceof Error ? err.message : String(err));
  };
  const notify = (message: string, error = false) => (shopify ? shopify.toast.show(message, { isError: error }) : setToast({ message, error }));
  const props: PageProps = { notify, onError, automations: shop?.automations ?? [] };

  useEffect(() => {
    const onAddress = () => setSection(sectionOfLocation());
    window.addEventListener("hashchange", onAddress);
    window.addEventListener("popstate", onAddress);
    api<ShopView>("GET", "/shop").then(setShop, onError);
    return () => (window.removeEventListener("hashchange", onAddress), window.removeEventListener("popstate", onAddress));
  }, []);
  useEffect(() => setOpened((o) => (o.has(section) ? o : new Set([...o, section]))), [section]);

  const open = (id: SectionId) => {
    // In Shopify admin the frame's address follows the menu (App Bridge mirrors it in the admin's own); standalone, the hash.
    if (shopify) history.pushState(null, "", sectionPath(id));
    else location.hash = id;
    setSection(id);
  };
  const pages = (
    <div id={`${section}-panel`} style={{ paddingTop: shopify ? 0 : 16 }}>
      {opened.has("settings") && (
        <div hidden={section !== "settings"}>
          <Loading>
            <SettingsPage {...props} onSaved={setShop} active={section === "settings"} />
          </Loading>
        </div>
      )}
      {opened.has("templates") && (
        <div hidden={section !== "templates"}>
          <Loading>
            <TemplatesPage {...props} />
          </Loading>
        </div>
      )}
      <Loading>
        {section === "deliveries" && <DeliveriesPage {...props} />}
        {section === "subscribers" && <SubscribersPage {...props} shop={shop} />}
        {section === "results" && <ResultsPage {...props} />}
        {section === "privacy" && <PrivacyPage {...props} />}
      </Loading>
    </div>
  );
  const selected = SECTIONS.findIndex((s) => s.id === section);
  return (
    <Frame>
      {shopify && <NavMenu sections={SECTIONS} home="settings" onOpen={open} />}
      <Page title={shopify ? SECTIONS[selected]!.content : "JoinChat Messenger"} subtitle={shop ? shop.shop : undefined} fullWidth>
        {expired && (
          <Banner tone="critical" title="Your session has expired">
            Open the app from Shopify admin again, or run <code>npm run cli -- admin:login --shop &lt;domain&gt;</code> for a new sign-in address.
          </Banner>
        )}
        {failure && (
          <Banner tone="warning" title="Something went wrong" onDismiss={() => setFailure(null)}>
            {failure}
          </Banner>
        )}
        {!expired &&
          (shopify ? (
            pages
          ) : (
            <Tabs tabs={SECTIONS.map((s) => ({ ...s, panelID: `${s.id}-panel` }))} selected={selected} onSelect={(i) => open(SECTIONS[i]!.id)}>
              {pages}
            </Tabs>
          ))}
      </Page>
      {toast && <Toast content={toast.message} error={toast.error} onDismiss={() => setToast(null)} />}
    </Frame>
  );
}

adoptStandaloneToken();
createRoot(document.getElementById("root")!).render(
  <AppProvider i18n={en}>
    <App />
  </AppProvider>,
);

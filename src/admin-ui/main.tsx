import { createRoot } from "react-dom/client";
import { useEffect, useState } from "react";
import { AppProvider, Banner, Frame, Page, Tabs, Toast } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { adoptStandaloneToken, api, ApiError } from "./api";
import type { ShopView } from "./types";
import { SettingsPage } from "./SettingsPage";
import { TemplatesPage } from "./TemplatesPage";
import { DeliveriesPage } from "./DeliveriesPage";
import { ResultsPage } from "./ResultsPage";
import { PrivacyPage } from "./PrivacyPage";

const TABS = [
  { id: "settings", content: "Settings" },
  { id: "templates", content: "Templates" },
  { id: "deliveries", content: "Deliveries" },
  { id: "results", content: "Results" },
  { id: "privacy", content: "Data requests" },
] as const;
type TabId = (typeof TABS)[number]["id"];

const tabOfHash = (): TabId => TABS.find((t) => `#${t.id}` === location.hash)?.id ?? "settings";

/** What every page gets: a way to say something briefly, and to report a refused session. */
export interface PageProps {
  notify(message: string, error?: boolean): void;
  onError(err: unknown): void;
}

function App() {
  const [tab, setTab] = useState<TabId>(tabOfHash());
  const [shop, setShop] = useState<ShopView | null>(null);
  const [expired, setExpired] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [toast, setToast] = useState<{ message: string; error: boolean } | null>(null);

  const onError = (err: unknown) => {
    if (err instanceof ApiError && err.status === 401) setExpired(true);
    else setFailure(err instanceof Error ? err.message : String(err));
  };
  const props: PageProps = { notify: (message, error = false) => setToast({ message, error }), onError };

  useEffect(() => {
    const onHash = () => setTab(tabOfHash());
    window.addEventListener("hashchange", onHash);
    api<ShopView>("GET", "/shop").then(setShop, onError);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  const selected = TABS.findIndex((t) => t.id === tab);
  return (
    <Frame>
      <Page title="JoinChat Messenger" subtitle={shop ? shop.shop : undefined} fullWidth>
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
        {!expired && (
          <Tabs tabs={TABS.map((t) => ({ ...t, panelID: `${t.id}-panel` }))} selected={selected} onSelect={(i) => (location.hash = TABS[i]!.id)}>
            <div id={`${tab}-panel`} style={{ paddingTop: 16 }}>
              {/* Settings and Templates stay mounted: unsaved edits survive a look at another tab. */}
              <div hidden={tab !== "settings"}>
                <SettingsPage {...props} onSaved={setShop} active={tab === "settings"} />
              </div>
              <div hidden={tab !== "templates"}>
                <TemplatesPage {...props} />
              </div>
              {tab === "deliveries" && <DeliveriesPage {...props} />}
              {tab === "results" && <ResultsPage {...props} />}
              {tab === "privacy" && <PrivacyPage {...props} />}
            </div>
          </Tabs>
        )}
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

import { useEffect, useState } from "react";
import { Badge, BlockStack, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { api } from "./api";
import { appBridge } from "./app-bridge";
import type { PageProps, SetupItem } from "./types";

/** The theme's blocks by the handles App Bridge reports them under (extensions/joinchat-embed/blocks/<handle>.liquid). */
const THEME_BLOCKS = { embed: "app-embed", "plugin-block": "messenger-plugin" } as const;
type ThemeStep = keyof typeof THEME_BLOCKS;

/**
 * Whether the published theme has the app embed and the app block on, as App Bridge reports it
 * where the admin runs embedded in Shopify admin; undefined standalone, or when it cannot say.
 */
async function themeStatus(): Promise<Record<ThemeStep, boolean> | undefined> {
  const app = appBridge()?.app;
  if (!app?.extensions) return undefined;
  try {
    const activations = (await app.extensions()).filter((e) => e.type === "theme_app_extension").flatMap((e) => e.activations);
    const on = (handle: string) => activations.some((a) => a.handle === handle && a.status === "active");
    return { embed: on(THEME_BLOCKS.embed), "plugin-block": on(THEME_BLOCKS["plugin-block"]) };
  } catch {
    return undefined;
  }
}

const THEME_WORDS: Record<ThemeStep, [on: string, off: string]> = {
  embed: ["The app embed is on in your published theme.", "The app embed is off in your published theme: turn it on in the theme editor (App embeds)."],
  "plugin-block": ["The Messenger plugin block is placed in your published theme.", "The Messenger plugin block is in no page of your published theme: add it to your cart page."],
};

/** The server's items with what App Bridge saw of the theme: its word beats the merchant's, either way. */
function withTheme(items: SetupItem[], theme: Record<ThemeStep, boolean> | undefined): SetupItem[] {
  if (!theme) return items;
  return items.map((i) => {
    if (i.id !== "embed" && i.id !== "plugin-block") return i;
    const on = theme[i.id];
    return { ...i, done: on, detail: THEME_WORDS[i.id][on ? 0 : 1], confirmable: false, confirmed: false };
  });
}

const BADGES = {
  done: { tone: "success", text: "Done" },
  todo: { tone: "attention", text: "To do" },
  unconfirmed: { tone: "info", text: "Not confirmed" },
} as const;
const badgeOf = (i: SetupItem) => BADGES[i.done === true ? "done" : i.done === false ? "todo" : "unconfirmed"];

/**
 * What the shop still needs before customers get messages, each step with where to fix it. Only
 * a step done counts: one the app cannot see stays "Not confirmed" until the merchant confirms
 * it, and the shop is ready only when every step is done.
 */
export function SetupChecklist({ onError, refreshKey }: Pick<PageProps, "onError"> & { refreshKey: number }) {
  const [items, setItems] = useState<SetupItem[] | null>(null);
  const [theme, setTheme] = useState<Record<ThemeStep, boolean> | undefined>(undefined);
  useEffect(() => {
    (async () => {
      const [{ items }, status] = await Promise.all([api<{ items: SetupItem[] }>("GET", "/setup"), themeStatus()]);
      setTheme(status);
      setItems(items);
    })().catch(onError);
  }, [refreshKey]);
  if (!items) return null;

  const confirm = (id: SetupItem["id"], confirmed: boolean) =>
    void api<{ items: SetupItem[] }>("POST", "/setup/confirm", { id, confirmed }).then((r) => setItems(r.items), onError);
  const shown = withTheme(items, theme);
  const done = shown.filter((i) => i.done === true).length;
  const ready = done === shown.length;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Set up ({done} of {shown.length} done)
          </Text>
          {ready ? <Badge tone="success">Ready to send</Badge> : <Badge tone="attention">{`${shown.length - done} to go`}</Badge>}
        </InlineStack>
        <ProgressBar progress={(done / Math.max(1, shown.length)) * 100} size="small" tone="success" />
        <BlockStack gap="300" as="ul">
          {shown.map((i) => (
            <li key={i.id} data-testid={`setup-${i.id}`} style={{ listStyle: "none" }}>
              <InlineStack gap="300" blockAlign="center" align="space-between">
                <div style={{ flex: "1 1 260px", minWidth: 0 }}>
                  <BlockStack gap="050">
                    <InlineStack gap="200" blockAlign="center" align="start">
                      <Badge tone={badgeOf(i).tone}>{badgeOf(i).text}</Badge>
                      <Text as="span" fontWeight="semibold">
                        {i.title}
                      </Text>
                    </InlineStack>
                    <Text as="p" tone="subdued">
                      {i.detail}
                    </Text>
                  </BlockStack>
                </div>
                <InlineStack gap="200">
                  {i.action && i.done !== true && (
                    <Button url={i.action.url} target={i.action.url ? "_top" : undefined} onClick={i.action.tab ? () => (location.hash = i.action!.tab!) : undefined}>
                      {i.action.label}
                    </Button>
                  )}
                  {i.confirmable && i.done === null && <Button onClick={() => confirm(i.id, true)}>I have done this</Button>}
                  {i.confirmable && i.confirmed && (
                    <Button variant="plain" onClick={() => confirm(i.id, false)}>
                      Not done after all
                    </Button>
                  )}
                </InlineStack>
              </InlineStack>
            </li>
          ))}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}

import { useEffect, useState } from "react";
import { Badge, BlockStack, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { api } from "./api";
import { appBridge } from "./app-bridge";
import type { PageProps, SetupItem } from "./types";

/** App Bridge's extension status, where the admin runs embedded in Shopify admin (else undefined). */
async function embedActive(): Promise<boolean | undefined> {
  const app = appBridge()?.app;
  if (!app?.extensions) return undefined;
  try {
    const extensions = await app.extensions();
    return extensions.some((e) => e.type === "theme_app_extension" && e.activations.some((a) => a.handle === "app-embed" && a.status === "active"));
  } catch {
    return undefined;
  }
}

/** What the shop still needs before customers get messages, each step with where to fix it. */
export function SetupChecklist({ onError, refreshKey }: Pick<PageProps, "onError"> & { refreshKey: number }) {
  const [items, setItems] = useState<SetupItem[] | null>(null);
  useEffect(() => {
    (async () => {
      const { items } = await api<{ items: SetupItem[] }>("GET", "/setup");
      // Inside Shopify admin, App Bridge says whether the theme's app embed is on.
      const active = await embedActive();
      setItems(
        items.map((i) =>
          i.id === "embed" && active !== undefined ? { ...i, done: active || i.done, detail: active ? "The app embed is on in your published theme." : i.detail } : i,
        ),
      );
    })().catch(onError);
  }, [refreshKey]);
  if (!items) return null;
  const done = items.filter((i) => i.done === true).length;
  const checkable = items.filter((i) => i.done !== null).length;
  const ready = items.every((i) => i.done !== false);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Set up ({done} of {checkable} done)
          </Text>
          {ready && <Badge tone="success">Ready to send</Badge>}
        </InlineStack>
        <ProgressBar progress={(done / Math.max(1, checkable)) * 100} size="small" tone="success" />
        {items.map((i) => (
          <InlineStack key={i.id} gap="300" blockAlign="center" wrap={false} align="space-between">
            <BlockStack gap="050">
              <InlineStack gap="200" blockAlign="center" align="start">
                <Badge tone={i.done === true ? "success" : i.done === false ? "attention" : "info"}>{i.done === true ? "Done" : i.done === false ? "To do" : "Check"}</Badge>
                <Text as="span" fontWeight="semibold">
                  {i.title}
                </Text>
              </InlineStack>
              <Text as="p" tone="subdued">
                {i.detail}
              </Text>
            </BlockStack>
            {i.action && i.done !== true && (
              <Button url={i.action.url} target={i.action.url ? "_top" : undefined} onClick={i.action.tab ? () => (location.hash = i.action!.tab!) : undefined}>
                {i.action.label}
              </Button>
            )}
          </InlineStack>
        ))}
      </BlockStack>
    </Card>
  );
}

import { useEffect, useRef, useState } from "react";
import { Badge, BlockStack, Button, Card, InlineGrid, InlineStack, Select, SkeletonBodyText, Tag, Text, TextField } from "@shopify/polaris";
import { api, ApiError } from "./api";
import { appBridge, SaveControls } from "./app-bridge";
import type { Automation, PageProps, Preview, TemplatesView } from "./types";
import { MessengerPreview } from "./MessengerPreview";

/** A field's count against its limit, as saving checks it: "612 / 640". */
function countText(length: number, limit: number): string {
  return `${length} / ${limit} characters${length > limit ? `: ${length - limit} over, shorten it to save` : ""}`;
}

export function TemplatesPage({ notify, onError, automations }: PageProps) {
  const [view, setView] = useState<TemplatesView | null>(null);
  const [chosen, setAutomation] = useState<Automation | null>(null);
  // The first automation until the merchant picks another.
  const automation = chosen ?? automations[0]?.name;
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<Preview | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const fields = useRef<Record<string, HTMLTextAreaElement | null>>({});

  const load = (v: TemplatesView) => {
    setView(v);
    setTexts(Object.fromEntries(v.templates.map((t) => [t.key, t.text])));
  };
  useEffect(() => void api<TemplatesView>("GET", "/templates").then(load, onError), []);

  // The preview follows every keystroke, a moment after the merchant stops typing.
  useEffect(() => {
    if (!view || !automation) return;
    const timer = setTimeout(() => {
      const own = Object.fromEntries(Object.entries(texts).filter(([k]) => view.templates.some((t) => t.key === k && t.automation === automation)));
      api<Preview>("POST", "/preview", { automation, templates: own }).then(setPreview, onError);
    }, 250);
    return () => clearTimeout(timer);
  }, [texts, automation, view]);

  if (!view || !automation)
    return (
      <Card>
        <SkeletonBodyText lines={8} />
      </Card>
    );
  const mine = view.templates.filter((t) => t.automation === automation);

  function insert(key: string, placeholder: string) {
    const el = fields.current[key];
    const text = texts[key] ?? "";
    const at = el?.selectionStart ?? text.length;
    setTexts({ ...texts, [key]: `${text.slice(0, at)}{{${placeholder}}}${text.slice(el?.selectionEnd ?? at)}` });
  }

  async function save(reset?: string) {
    setSaving(true);
    setErrors({});
    const changed = reset ? { [reset]: null } : Object.fromEntries(view!.templates.filter((t) => texts[t.key] !== t.text).map((t) => [t.key, texts[t.key]!]));
    try {
      load(await api<TemplatesView>("PUT", "/templates", { templates: changed }));
      notify(reset ? "Default restored" : "Templates saved");
    } catch (err) {
      if (err instanceof ApiError && err.field) setErrors({ [err.field.replace(/^templates\./, "")]: err.message.replace(/^templates\.[\w.]+: /, "") });
      else onError(err);
    } finally {
      setSaving(false);
    }
  }

  return (
    <BlockStack gap="400">
      <InlineStack gap="300" blockAlign="end">
        <div style={{ minWidth: 240 }}>
          <Select label="Automation" options={automations.map((a) => ({ label: a.label, value: a.name }))} value={automation} onChange={(v) => setAutomation(v as Automation)} />
        </div>
        {preview && (
          <Badge tone={preview.tag ? "info" : "attention"}>
            {preview.tag
              ? `Past 24 hours: sent with tag ${preview.tag}`
              : !preview.promotional
                ? "Past 24 hours: held (Settings › After 24 hours)"
                : automations.find((a) => a.name === automation)?.orderMessage
                  ? "No tag: only within the 24-hour window"
                  : "Promotional: no tag, 24-hour window"}
          </Badge>
        )}
      </InlineStack>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <Card>
          <BlockStack gap="400">
            {mine.length === 0 && (
              <Text as="p">
                The receipt is built from the order itself (items, totals, address): it has no texts to edit, and no button into your JoinChat bot (JoinChat&apos;s receipt has no
                buttons).
              </Text>
            )}
            {mine.length > 0 && (
              <Text as="p" tone="subdued">
                A button into your JoinChat bot, and the welcome message&apos;s loyalty points and store credit, are set in Settings; the preview shows them as saved.
              </Text>
            )}
            {mine.map((t) => {
              const field = preview?.fields.find((f) => f.key === t.key);
              return (
                <BlockStack gap="200" key={t.key}>
                  <div ref={(node) => void (fields.current[t.key] = node?.querySelector("textarea, input") as HTMLTextAreaElement | null)}>
                    <TextField
                      label={t.label}
                      value={texts[t.key] ?? ""}
                      onChange={(v) => {
                        setTexts({ ...texts, [t.key]: v });
                        setErrors(({ [t.key]: _saved, ...rest }) => rest);
                      }}
                      multiline={t.limit > 20 ? 3 : false}
                      autoComplete="off"
                      // The server's refusal once saved; before that, what saving would refuse, as the merchant types.
                      error={errors[t.key] ?? field?.problem ?? undefined}
                      helpText={
                        field ? (
                          <span data-testid={`count-${t.key}`}>{countText(field.length, field.limit)}, with the longest names, codes and numbers it can carry</span>
                        ) : undefined
                      }
                    />
                  </div>
                  <InlineStack gap="200" blockAlign="center">
                    {t.placeholders.map((p) => (
                      <Tag key={p} onClick={() => insert(t.key, p)}>{`{{${p}}}`}</Tag>
                    ))}
                    {t.custom && (
                      <Button variant="plain" onClick={() => save(t.key)}>
                        Reset to default
                      </Button>
                    )}
                  </InlineStack>
                </BlockStack>
              );
            })}
            {/* Embedded, the save bar stays while edits to another automation's texts are unsaved. */}
            {(mine.length > 0 || appBridge()) && (
              <InlineStack align="end">
                <SaveControls
                  id="templates-save-bar"
                  label="Save templates"
                  dirty={view.templates.some((t) => texts[t.key] !== t.text)}
                  saving={saving}
                  onSave={() => save()}
                  onDiscard={() => (load(view), setErrors({}))}
                />
              </InlineStack>
            )}
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Preview
            </Text>
            {preview ? <MessengerPreview message={preview.message} /> : <SkeletonBodyText lines={4} />}
            {preview?.buttons && (
              <Text as="p" tone="subdued">
                Buttons: {preview.buttons.used} of {preview.buttons.limit}
              </Text>
            )}
            {preview?.alternatives.map((a) => (
              <BlockStack gap="200" key={a.label}>
                <Text as="h3" variant="headingSm">
                  {a.label}
                </Text>
                <MessengerPreview message={a.message} />
              </BlockStack>
            ))}
          </BlockStack>
        </Card>
      </InlineGrid>
    </BlockStack>
  );
}

// One section of Settings, saved on its own: its fields in a card, and at the card's foot its own
// Save and Discard (standalone) or nothing (embedded: App Bridge's save bar saves every section
// changed). Nothing long sits above a save button, and saving one section leaves another's
// unsaved edits as they are.
import type { ReactNode } from "react";
import { BlockStack, Button, Card, InlineStack, Layout, Text } from "@shopify/polaris";

export interface SectionSave {
  /** Its own buttons; false when App Bridge's save bar saves for it. */
  buttons: boolean;
  dirty: boolean;
  saving: boolean;
  /** How many of the server's refusals fall in this section (each shown under its field). */
  problems: number;
  onSave(): void;
  onDiscard(): void;
}

export function SettingsSection({ id, title, description, save, children }: { id: string; title: string; description: string; save?: SectionSave; children: ReactNode }) {
  return (
    <Layout.AnnotatedSection id={`settings-${id}`} title={title} description={description}>
      <Card>
        <BlockStack gap="400">
          {children}
          {save && (save.buttons || save.problems > 0) && (
            <InlineStack align="end" blockAlign="center" gap="300">
              {save.problems > 0 && (
                <Text as="span" tone="critical">
                  Not saved: {save.problems === 1 ? "fix the field marked above" : `fix the ${save.problems} fields marked above`}
                </Text>
              )}
              {save.buttons && save.dirty && (
                <Button onClick={save.onDiscard} disabled={save.saving} accessibilityLabel={`Discard changes to ${title}`}>
                  Discard
                </Button>
              )}
              {save.buttons && (
                <Button variant="primary" onClick={save.onSave} loading={save.saving} disabled={!save.dirty} accessibilityLabel={`Save ${title}`}>
                  Save
                </Button>
              )}
            </InlineStack>
          )}
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}

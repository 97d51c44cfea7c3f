import { Fragment } from "react";
import { Badge, BlockStack, Box, Button, IndexTable, InlineStack, Text } from "@shopify/polaris";
import type { AutomationView, Delivery } from "./types";
import { labelOf } from "./labels";
import { tagWords } from "./delivery-words";

export const STATE_TONES: Record<Delivery["state"], "success" | "critical" | "warning" | "info" | "new" | undefined> = {
  sent: "success",
  failed: "critical",
  scheduled: "info",
  sending: "info",
  skipped: "new",
  cancelled: "new",
  unknown: "warning",
};
/** Each state as the merchant reads it. */
export const STATE_WORDS: Record<Delivery["state"], string> = {
  scheduled: "Waiting",
  sending: "Sending",
  sent: "Sent",
  failed: "Failed",
  skipped: "Not sent",
  cancelled: "Cancelled",
  unknown: "No answer",
};

const pretty = (body: string | null) => {
  if (!body) return "";
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
};
export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "");
const who = (d: Delivery) => d.recipient ?? "No one to send to";
const canRetry = (d: Delivery) => d.state === "failed" || d.state === "unknown";

interface RowsProps {
  rows: Delivery[];
  /** The catalog's automations as the shop's answer names them. */
  automations: readonly AutomationView[];
  open: string | null;
  onToggle(id: string): void;
  onRetry(d: Delivery): void;
}

/** Why, in plain words with what to do, and what was notable when the message was made. */
function Why({ d }: { d: Delivery }) {
  return (
    <div className="delivery-why" data-testid="delivery-why">
      {d.explanation && <Text as="span">{d.explanation}</Text>}
      {d.eventNote && (
        <Text as="span" tone="subdued">
          {d.explanation ? " " : ""}Note: {d.eventNote}
        </Text>
      )}
    </div>
  );
}

function StateBadge({ d }: { d: Delivery }) {
  return (
    <span data-testid="delivery-state">
      <Badge tone={STATE_TONES[d.state]}>{STATE_WORDS[d.state]}</Badge>
    </span>
  );
}

function RetryButton({ d, onRetry }: { d: Delivery; onRetry(d: Delivery): void }) {
  if (!canRetry(d)) return null;
  return (
    <div onClick={(e) => e.stopPropagation()}>
      <Button size="slim" onClick={() => onRetry(d)}>
        {d.state === "unknown" ? "Send again" : "Retry"}
      </Button>
    </div>
  );
}

/** What was signed and sent, what JoinChat answered, and the reason as recorded. */
function Details({ d }: { d: Delivery }) {
  return (
    <Box padding="400" background="bg-surface-secondary">
      <BlockStack gap="200">
        <Text as="p" variant="headingSm">
          Signed body ({tagWords(d).toLowerCase()})
        </Text>
        <pre className="signed-body">
          {d.sentBody
            ? pretty(d.sentBody)
            : d.state === "skipped" && !d.recipient
              ? "Never made: there was no one to send it to."
              : "Not sent yet: the body is signed when it goes out."}
        </pre>
        {d.lastError && d.lastError !== d.explanation && (
          <Text as="p" tone="subdued">
            Recorded: <code className="delivery-code">{d.lastError}</code>
          </Text>
        )}
        {d.responseStatus !== null && (
          <Text as="p">
            JoinChat answered {d.responseStatus}: <code className="delivery-code">{d.responseBody}</code>
          </Text>
        )}
      </BlockStack>
    </Box>
  );
}

/** The log as a table: the reason's cell wraps, so a long one never pushes Retry off the screen. */
export function DeliveryTable({ rows, automations, open, onToggle, onRetry }: RowsProps) {
  return (
    <IndexTable
      resourceName={{ singular: "message", plural: "messages" }}
      itemCount={rows.length}
      selectable={false}
      emptyState={<Empty />}
      headings={[{ title: "Time" }, { title: "Automation" }, { title: "Order" }, { title: "Customer" }, { title: "State" }, { title: "Why" }, { title: "Tag" }, { title: "" }]}
    >
      {rows.map((d, i) => (
        <Fragment key={d.id}>
          <IndexTable.Row id={d.id} position={i} onClick={() => onToggle(d.id)}>
            <IndexTable.Cell>{when(d.sentAt ?? d.createdAt)}</IndexTable.Cell>
            <IndexTable.Cell>{labelOf(automations, d.automation)}</IndexTable.Cell>
            <IndexTable.Cell>{d.orderName ?? ""}</IndexTable.Cell>
            <IndexTable.Cell>{who(d)}</IndexTable.Cell>
            <IndexTable.Cell>
              <StateBadge d={d} />
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Why d={d} />
            </IndexTable.Cell>
            <IndexTable.Cell>
              <div className="delivery-tag">{tagWords(d)}</div>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <RetryButton d={d} onRetry={onRetry} />
            </IndexTable.Cell>
          </IndexTable.Row>
          {open === d.id && (
            <IndexTable.Row id={`${d.id}-body`} position={i}>
              <td colSpan={8}>
                <Details d={d} />
              </td>
            </IndexTable.Row>
          )}
        </Fragment>
      ))}
    </IndexTable>
  );
}

/** The log at phone width: one card a message, everything stacked, nothing wider than the screen. */
export function DeliveryCards({ rows, automations, open, onToggle, onRetry }: RowsProps) {
  if (rows.length === 0) return <Empty />;
  return (
    <ul className="delivery-cards">
      {rows.map((d) => (
        <li key={d.id} className="delivery-card" data-testid="delivery-card">
          <div role="button" tabIndex={0} onClick={() => onToggle(d.id)} onKeyDown={(e) => e.key === "Enter" && onToggle(d.id)}>
            <BlockStack gap="100">
              <InlineStack gap="200" blockAlign="center" wrap>
                <StateBadge d={d} />
                <Text as="span" fontWeight="semibold">
                  {labelOf(automations, d.automation)}
                </Text>
                {d.orderName && <Text as="span">{d.orderName}</Text>}
              </InlineStack>
              <Text as="p" tone="subdued">
                {when(d.sentAt ?? d.createdAt)} · {who(d)}
              </Text>
              <Why d={d} />
              <Text as="p" tone="subdued">
                {tagWords(d)}
              </Text>
            </BlockStack>
          </div>
          <RetryButton d={d} onRetry={onRetry} />
          {open === d.id && <Details d={d} />}
        </li>
      ))}
    </ul>
  );
}

function Empty() {
  return (
    <Box padding="400">
      <Text as="p" tone="subdued">
        No messages match.
      </Text>
    </Box>
  );
}

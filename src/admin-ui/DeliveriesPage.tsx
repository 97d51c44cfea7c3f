import { Fragment, useEffect, useState } from "react";
import { Badge, Banner, BlockStack, Box, Button, Card, IndexTable, InlineStack, Select, Text, TextField, useBreakpoints } from "@shopify/polaris";
import { api, ApiError } from "./api";
import type { Delivery, FailedEvent, JoinChatOutage, PageProps } from "./types";
import { AUTOMATION_LABELS } from "./labels";
import { SubscriberPicker } from "./SubscriberPicker";

const STATE_TONES: Record<Delivery["state"], "success" | "critical" | "warning" | "info" | "new" | undefined> = {
  sent: "success",
  failed: "critical",
  scheduled: "info",
  sending: "info",
  skipped: "new",
  cancelled: "new",
  unknown: "warning",
};
const FINAL = new Set(["sent", "failed", "skipped", "cancelled", "unknown"]);
const pretty = (body: string | null) => {
  if (!body) return "";
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
};
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "");

export function DeliveriesPage({ notify, onError }: PageProps) {
  const [state, setState] = useState("");
  const [automation, setAutomation] = useState("");
  const [rows, setRows] = useState<Delivery[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [outage, setOutage] = useState<JoinChatOutage | null>(null);
  // A phone-width screen gets the table's one-column layout.
  const narrow = useBreakpoints().smDown;

  async function load(before?: string) {
    setLoading(true);
    const q = new URLSearchParams({ limit: "50", ...(state ? { state } : {}), ...(automation ? { automation } : {}), ...(before ? { before } : {}) });
    try {
      const page = await api<{ deliveries: Delivery[]; next: string | null; joinchatOutage: JoinChatOutage | null }>("GET", `/deliveries?${q}`);
      setRows(before ? [...rows, ...page.deliveries] : page.deliveries);
      setNext(page.next);
      setOutage(page.joinchatOutage);
    } catch (err) {
      onError(err);
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => void load(), [state, automation]);

  async function retry(d: Delivery) {
    try {
      const { delivery } = await api<{ delivery: Delivery }>("POST", `/deliveries/${d.id}/retry`);
      setRows(rows.map((r) => (r.id === d.id ? delivery : r)));
      notify("Queued again");
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) notify(err.message, true);
      else onError(err);
    }
  }

  return (
    <BlockStack gap="400">
      {outage && (
        <div data-testid="joinchat-outage">
          <Banner tone="warning" title={`JoinChat has not been reachable since ${when(outage.since)}`}>
            <Text as="p">
              Your messages are waiting, none is lost: the app tries JoinChat every few seconds with one of them, and sends all of them, oldest first, as soon as it answers.
            </Text>
            <Text as="p" tone="subdued">
              Last error: <code>{outage.lastError}</code>
            </Text>
          </Banner>
        </div>
      )}
      <FailedEvents notify={notify} onError={onError} />
      <TestMessage notify={notify} onError={onError} onSent={() => load()} />
      <Card padding="0">
        <Box padding="400">
          <InlineStack gap="300" blockAlign="end">
            <Select
              label="State"
              options={[{ label: "All", value: "" }, ...["scheduled", "sending", "sent", "failed", "skipped", "cancelled", "unknown"].map((s) => ({ label: s, value: s }))]}
              value={state}
              onChange={setState}
            />
            <Select
              label="Automation"
              options={[{ label: "All", value: "" }, ...Object.entries(AUTOMATION_LABELS).map(([value, label]) => ({ label, value }))]}
              value={automation}
              onChange={setAutomation}
            />
            <Button onClick={() => load()} loading={loading}>
              Refresh
            </Button>
          </InlineStack>
        </Box>
        <IndexTable
          condensed={narrow}
          resourceName={{ singular: "message", plural: "messages" }}
          itemCount={rows.length}
          selectable={false}
          emptyState={
            <Box padding="400">
              <Text as="p" tone="subdued">
                No messages match.
              </Text>
            </Box>
          }
          headings={[{ title: "Time" }, { title: "Automation" }, { title: "Recipient" }, { title: "State" }, { title: "Attempts" }, { title: "Why" }, { title: "" }]}
        >
          {rows.map((d, i) => (
            <Fragment key={d.id}>
              <IndexTable.Row id={d.id} position={i} onClick={() => setOpen(open === d.id ? null : d.id)}>
                <IndexTable.Cell>{when(d.sentAt ?? d.createdAt)}</IndexTable.Cell>
                <IndexTable.Cell>{AUTOMATION_LABELS[d.automation] ?? d.automation}</IndexTable.Cell>
                <IndexTable.Cell>{d.recipient}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={STATE_TONES[d.state]}>{d.state}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>{d.attempts}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" truncate>
                    {d.explanation ?? ""}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {(d.state === "failed" || d.state === "unknown") && (
                    <div onClick={(e) => e.stopPropagation()}>
                      <Button size="slim" onClick={() => retry(d)}>
                        {d.state === "unknown" ? "Send again" : "Retry"}
                      </Button>
                    </div>
                  )}
                </IndexTable.Cell>
              </IndexTable.Row>
              {open === d.id && (
                <IndexTable.Row id={`${d.id}-body`} position={i}>
                  <td colSpan={7}>
                    <Box padding="400" background="bg-surface-secondary">
                      <BlockStack gap="200">
                        <Text as="p" variant="headingSm">
                          Signed body {d.tag ? `(tag ${d.tag})` : "(no tag)"}
                        </Text>
                        <pre className="signed-body">{d.sentBody ? pretty(d.sentBody) : "Not sent yet: the body is signed when it goes out."}</pre>
                        {d.explanation && d.lastError !== d.explanation && (
                          <Text as="p" tone="subdued">
                            Recorded: <code>{d.lastError}</code>
                          </Text>
                        )}
                        {d.responseStatus !== null && (
                          <Text as="p">
                            JoinChat answered {d.responseStatus}: <code>{d.responseBody}</code>
                          </Text>
                        )}
                      </BlockStack>
                    </Box>
                  </td>
                </IndexTable.Row>
              )}
            </Fragment>
          ))}
        </IndexTable>
        {next && (
          <Box padding="400">
            <Button onClick={() => load(next)} loading={loading}>
              Load more
            </Button>
          </Box>
        )}
      </Card>
    </BlockStack>
  );
}

/** Sends one text to a subscriber through the queue, then follows it until it ends. */
function TestMessage({ notify, onError, onSent }: PageProps & { onSent(): void }) {
  const [uuid, setUuid] = useState("");
  const [text, setText] = useState("Hello from our store! This is a test message.");
  const [result, setResult] = useState<Delivery | null>(null);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function send() {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      let { delivery } = await api<{ delivery: Delivery }>("POST", "/test-message", { uuid, text });
      setResult(delivery);
      for (let i = 0; i < 30 && !FINAL.has(delivery.state); i++) {
        await new Promise((r) => setTimeout(r, 500));
        delivery = (await api<{ delivery: Delivery }>("GET", `/deliveries/${delivery.id}`)).delivery;
        setResult(delivery);
      }
      notify(delivery.state === "sent" ? "Test message sent" : `Test message ${delivery.state}`, delivery.state !== "sent");
      onSent();
    } catch (err) {
      if (err instanceof ApiError && err.status !== 401) setError({ field: err.field, message: err.message });
      else onError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Send a test message
        </Text>
        <InlineStack gap="300" blockAlign="end" wrap={false}>
          <div style={{ flex: 1 }}>
            <SubscriberPicker value={uuid} onChange={setUuid} onError={onError} error={error?.field === "uuid" ? error.message : undefined} />
          </div>
          <div style={{ flex: 2 }}>
            <TextField label="Text" value={text} onChange={setText} autoComplete="off" error={error && error.field !== "uuid" ? error.message : undefined} />
          </div>
          <Button variant="primary" onClick={send} loading={busy} disabled={!uuid}>
            Send test
          </Button>
        </InlineStack>
        {result && (
          <InlineStack gap="200" blockAlign="center">
            <Badge tone={STATE_TONES[result.state]}>{result.state}</Badge>
            <Text as="span" tone="subdued">
              <span data-testid="test-result">
                {result.responseStatus !== null ? `JoinChat answered ${result.responseStatus}: ${result.responseBody ?? ""}` : (result.lastError ?? "waiting for the worker…")}
              </span>
            </Text>
          </InlineStack>
        )}
      </BlockStack>
    </Card>
  );
}

/** Plain words for the store events a customer's message comes from. */
const TOPIC_WORDS: Record<string, string> = {
  "orders/create": "New order",
  "orders/paid": "Order paid",
  "orders/cancelled": "Order cancelled",
  "fulfillment_events/create": "Carrier update",
  "customers/create": "New customer",
  "checkouts/create": "Checkout started",
  "checkouts/update": "Checkout changed",
  "fulfillments/create": "Order shipped",
  "fulfillments/update": "Shipment changed",
};

/** Store events the app could not handle after every retry: the reason, and a button to try again. */
function FailedEvents({ notify, onError }: PageProps) {
  const [events, setEvents] = useState<FailedEvent[] | null>(null);
  const load = () => api<{ events: FailedEvent[] }>("GET", "/events").then((r) => setEvents(r.events), onError);
  useEffect(() => void load(), []);
  if (!events || events.length === 0) return null;

  async function retry(e: FailedEvent) {
    try {
      await api("POST", `/events/${e.id}/retry`);
      notify("Queued to be handled again");
      await load();
    } catch (err) {
      onError(err);
    }
  }

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Store events that could not be handled
        </Text>
        <Text as="p" tone="subdued">
          The app tried each of these several times over about 20 minutes. Fix the cause below, then try again: no message was made from them yet.
        </Text>
        {events.map((e) => (
          <InlineStack key={e.id} gap="300" blockAlign="center" wrap>
            <Badge tone="critical">{TOPIC_WORDS[e.topic] ?? "Store event"}</Badge>
            <Text as="span">{when(e.receivedAt)}</Text>
            <Text as="span" tone="subdued">
              {e.note ?? ""}
            </Text>
            <Button size="slim" onClick={() => retry(e)}>
              Try again
            </Button>
          </InlineStack>
        ))}
      </BlockStack>
    </Card>
  );
}

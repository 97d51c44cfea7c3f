import { useEffect, useState, type FormEvent } from "react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Select, Text, TextField, useBreakpoints } from "@shopify/polaris";
import { api, ApiError } from "./api";
import type { Delivery, FailedEvent, JoinChatOutage, PageProps } from "./types";
import { MANUAL_LABEL } from "./labels";
import { DeliveryCards, DeliveryTable, STATE_TONES, STATE_WORDS, when } from "./DeliveryRows";
import { SubscriberPicker } from "./SubscriberPicker";

const FINAL = new Set(["sent", "failed", "skipped", "cancelled", "unknown"]);

/** What the log is narrowed by: the typed ones apply on Search, the chosen ones at once. */
interface Filters {
  q: string;
  order: string;
  from: string;
  to: string;
}
const NO_FILTERS: Filters = { q: "", order: "", from: "", to: "" };

export function DeliveriesPage({ notify, onError, automations }: PageProps) {
  const [state, setState] = useState("");
  const [automation, setAutomation] = useState("");
  const [typed, setTyped] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const [rows, setRows] = useState<Delivery[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [outage, setOutage] = useState<JoinChatOutage | null>(null);
  // A phone-width screen gets one card a message instead of the table.
  const narrow = useBreakpoints().smDown;

  async function load(before?: string) {
    setLoading(true);
    const chosen = Object.entries({ state, automation, ...applied, before: before ?? "" }).filter(([, v]) => v.trim() !== "");
    const q = new URLSearchParams([["limit", "50"], ...chosen]);
    try {
      const page = await api<{ deliveries: Delivery[]; next: string | null; joinchatOutage: JoinChatOutage | null }>("GET", `/deliveries?${q}`);
      setRows(before ? [...rows, ...page.deliveries] : page.deliveries);
      setNext(page.next);
      setOutage(page.joinchatOutage);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) notify(`${err.field ? `${err.field}: ` : ""}${err.message}`, true);
      else onError(err);
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => void load(), [state, automation, applied]);

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

  const search = (e?: FormEvent) => {
    e?.preventDefault();
    setApplied({ ...typed });
  };
  const field = (name: keyof Filters) => ({ value: typed[name], onChange: (v: string) => setTyped({ ...typed, [name]: v }), autoComplete: "off" });
  const rowsProps = { rows, automations, open, onToggle: (id: string) => setOpen(open === id ? null : id), onRetry: retry };

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
          <form onSubmit={search}>
            <div className="delivery-filters">
              <TextField label="Customer" placeholder="Name, email or uuid" {...field("q")} />
              <TextField label="Order" placeholder="#1001" {...field("order")} />
              <TextField label="From" type="date" {...field("from")} />
              <TextField label="To" type="date" {...field("to")} />
              <Select
                label="State"
                options={[{ label: "All", value: "" }, ...Object.entries(STATE_WORDS).map(([value, label]) => ({ label, value }))]}
                value={state}
                onChange={setState}
              />
              <Select
                label="Automation"
                options={[{ label: "All", value: "" }, ...automations.map((a) => ({ label: a.label, value: a.name })), { label: MANUAL_LABEL, value: "manual" }]}
                value={automation}
                onChange={setAutomation}
              />
              <InlineStack gap="200" blockAlign="end">
                <Button submit variant="primary" loading={loading}>
                  Search
                </Button>
                <Button onClick={() => load()} loading={loading}>
                  Refresh
                </Button>
              </InlineStack>
            </div>
          </form>
        </Box>
        {narrow ? <DeliveryCards {...rowsProps} /> : <DeliveryTable {...rowsProps} />}
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
function TestMessage({ notify, onError, onSent }: Pick<PageProps, "notify" | "onError"> & { onSent(): void }) {
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
        <div className="test-message-fields">
          <div className="test-message-uuid">
            <SubscriberPicker value={uuid} onChange={setUuid} onError={onError} error={error?.field === "uuid" ? error.message : undefined} />
          </div>
          <div className="test-message-text">
            <TextField label="Text" value={text} onChange={setText} autoComplete="off" error={error && error.field !== "uuid" ? error.message : undefined} />
          </div>
          <Button variant="primary" onClick={send} loading={busy} disabled={!uuid}>
            Send test
          </Button>
        </div>
        {result && (
          <InlineStack gap="200" blockAlign="center">
            <Badge tone={STATE_TONES[result.state]}>{STATE_WORDS[result.state]}</Badge>
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
function FailedEvents({ notify, onError }: Pick<PageProps, "notify" | "onError">) {
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

import { Fragment, useEffect, useState } from "react";
import { Badge, BlockStack, Box, Button, Card, IndexTable, InlineStack, Link, Modal, Pagination, Text, useBreakpoints } from "@shopify/polaris";
import { api, download } from "./api";
import { labelOf, subscriberLabel } from "./labels";
import { SubscriberSearch } from "./SubscriberPicker";
import type { AutomationView, PageProps, ShopView, Subscriber, SubscriberMessage } from "./types";

const PAGE_SIZE = 25;
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "");
const automationNames = (automations: readonly AutomationView[], names: string[]) => names.map((a) => labelOf(automations, a)).join(", ");

/**
 * The shoppers who opted in to Messenger on the store (its uuid links): when and on which page,
 * whether their 24-hour window is open now, what they were sent; searchable, exportable as CSV,
 * and each removable as the shopper's own unlink would remove them.
 */
export function SubscribersPage({ notify, onError, shop, automations }: PageProps & { shop: ShopView | null }) {
  const [search, setSearch] = useState("");
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ subscribers: Subscriber[]; total: number } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Subscriber | null>(null);
  const [busy, setBusy] = useState(false);
  const narrow = useBreakpoints().smDown;

  const load = (at = offset) => {
    const q = new URLSearchParams({ offset: String(at), limit: String(PAGE_SIZE), ...(search.trim() ? { search: search.trim() } : {}) });
    return api<{ subscribers: Subscriber[]; total: number }>("GET", `/subscribers?${q}`).then(setPage, onError);
  };
  // A search starts again from the first page, once typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => (setOffset(0), void load(0)), 250);
    return () => clearTimeout(timer);
  }, [search]);

  async function remove(s: Subscriber) {
    setBusy(true);
    try {
      await api("DELETE", `/subscribers/${encodeURIComponent(s.uuid)}`);
      notify("Subscriber removed");
      setRemoving(null);
      // The last row of a page gone: the page before it.
      const at = page && page.subscribers.length === 1 && offset > 0 ? offset - PAGE_SIZE : offset;
      setOffset(at);
      await load(at);
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  }

  const exportCsv = () => {
    const q = new URLSearchParams(search.trim() ? { search: search.trim() } : {});
    void download(`/subscribers.csv?${q}`, `subscribers-${new Date().toISOString().slice(0, 10)}.csv`).catch(onError);
  };
  const go = (at: number) => (setOffset(at), void load(at));
  const total = page?.total ?? 0;

  return (
    <BlockStack gap="400">
      <Card padding="0">
        <Box padding="400">
          <BlockStack gap="300">
            <Text as="p" tone="subdued">
              Shoppers who clicked Send to Messenger on your store. Inside their 24-hour window (since their last click) every message goes; past it, only what your Settings allow.
            </Text>
            <InlineStack gap="300" blockAlign="end" wrap>
              <div style={{ flex: "1 1 240px" }}>
                <SubscriberSearch label="Search subscribers" value={search} onChange={setSearch} />
              </div>
              <Button onClick={exportCsv} disabled={!total}>
                Export CSV
              </Button>
            </InlineStack>
          </BlockStack>
        </Box>
        <IndexTable
          condensed={narrow}
          resourceName={{ singular: "subscriber", plural: "subscribers" }}
          itemCount={page?.subscribers.length ?? 0}
          loading={!page}
          selectable={false}
          emptyState={
            <Box padding="400">
              <Text as="p" tone="subdued">
                {search.trim() ? "No subscriber matches." : "No subscribers yet: a shopper becomes one by clicking Send to Messenger on your store."}
              </Text>
            </Box>
          }
          headings={[{ title: "Subscriber" }, { title: "Opted in" }, { title: "24-hour window" }, { title: "Messages" }, { title: "" }]}
        >
          {(page?.subscribers ?? []).map((s, i) => (
            <Fragment key={s.uuid}>
              <IndexTable.Row id={s.uuid} position={i} onClick={() => setOpen(open === s.uuid ? null : s.uuid)}>
                {/* At a phone's width, one cell: the columns stacked, none cut off. */}
                {narrow ? (
                  <IndexTable.Cell>
                    <BlockStack gap="150" inlineAlign="start">
                      {subscriberCells(s, setRemoving, automations)}
                    </BlockStack>
                  </IndexTable.Cell>
                ) : (
                  subscriberCells(s, setRemoving, automations).map((cell, c) => <IndexTable.Cell key={c}>{cell}</IndexTable.Cell>)
                )}
              </IndexTable.Row>
              {open === s.uuid && (
                <IndexTable.Row id={`${s.uuid}-detail`} position={i}>
                  <IndexTable.Cell colSpan={5}>
                    <SubscriberDetail subscriber={s} shop={shop} onError={onError} automations={automations} />
                  </IndexTable.Cell>
                </IndexTable.Row>
              )}
            </Fragment>
          ))}
        </IndexTable>
        <Box padding="400">
          <InlineStack align="center" blockAlign="center" gap="300">
            <Pagination
              hasPrevious={offset > 0}
              onPrevious={() => go(Math.max(0, offset - PAGE_SIZE))}
              hasNext={offset + PAGE_SIZE < total}
              onNext={() => go(offset + PAGE_SIZE)}
              label={total ? `${offset + 1}–${Math.min(offset + PAGE_SIZE, total)} of ${total}` : "0 subscribers"}
            />
          </InlineStack>
        </Box>
      </Card>
      {removing && (
        <Modal
          open
          title={`Remove ${subscriberLabel(removing)}?`}
          onClose={() => setRemoving(null)}
          primaryAction={{ content: "Remove", destructive: true, loading: busy, onAction: () => void remove(removing) }}
          secondaryActions={[{ content: "Cancel", onAction: () => setRemoving(null) }]}
        >
          <Modal.Section>
            <Text as="p">
              Their link to Messenger goes, as if they had unlinked themselves on your store: later orders and checkouts no longer reach them through it, until they click Send to
              Messenger again.
            </Text>
          </Modal.Section>
        </Modal>
      )}
    </BlockStack>
  );
}

/** A subscriber's row: who, when and where they opted in, their window, their messages, and the way to remove them. */
function subscriberCells(s: Subscriber, remove: (s: Subscriber) => void, automations: readonly AutomationView[]) {
  return [
    <BlockStack gap="050" key="who">
      <Text as="span" fontWeight="semibold" breakWord>
        {subscriberLabel(s)}
      </Text>
      <Text as="span" tone="subdued" breakWord>
        {s.uuid}
      </Text>
    </BlockStack>,
    <BlockStack gap="050" key="opt-in">
      <Text as="span">{when(s.lastOptInAt)}</Text>
      <Text as="span" tone="subdued" breakWord>
        {s.source === "cli" ? "Linked by an operator" : s.optInPage ? `On ${s.optInPage}` : "Page not recorded"}
      </Text>
    </BlockStack>,
    s.windowOpen ? <Badge tone="success" key="window">{`Open until ${when(s.windowClosesAt)}`}</Badge> : <Badge key="window">Closed</Badge>,
    <Text as="span" key="messages" breakWord>
      {s.messages.sent} sent{s.messages.total > s.messages.sent ? ` of ${s.messages.total}` : ""}
      {s.messages.automations.length ? `: ${automationNames(automations, s.messages.automations)}` : ""}
    </Text>,
    <div onClick={(e) => e.stopPropagation()} key="remove">
      <Button tone="critical" variant="plain" onClick={() => remove(s)} accessibilityLabel={`Remove ${subscriberLabel(s)}`}>
        Remove
      </Button>
    </div>,
  ];
}

/** A subscriber's opt-in and the messages queued for them, newest first. */
function SubscriberDetail({ subscriber: s, shop, onError, automations }: Pick<PageProps, "onError" | "automations"> & { subscriber: Subscriber; shop: ShopView | null }) {
  const [messages, setMessages] = useState<SubscriberMessage[] | null>(null);
  useEffect(
    () => void api<{ messages: SubscriberMessage[] }>("GET", `/subscribers/${encodeURIComponent(s.uuid)}/messages`).then((r) => setMessages(r.messages), onError),
    [s.uuid],
  );
  return (
    <Box padding="200">
      <BlockStack gap="200">
        <Text as="p" tone="subdued">
          First opted in {when(s.firstOptInAt)}; last {when(s.lastOptInAt)}
          {s.optInPage ? ` on ${s.optInPage}` : ""}.{" "}
          {s.customerId && shop && (
            <Link url={`https://${shop.shop}/admin/customers/${encodeURIComponent(s.customerId)}`} target="_top">
              Open the customer in Shopify
            </Link>
          )}
        </Text>
        {messages === null ? (
          <Text as="p">Loading messages…</Text>
        ) : messages.length === 0 ? (
          <Text as="p">No message has been queued for them yet.</Text>
        ) : (
          <BlockStack gap="100">
            {messages.map((m) => (
              <InlineStack key={m.id} gap="200" blockAlign="center">
                <Badge tone={m.state === "sent" ? "success" : m.state === "failed" ? "critical" : undefined}>{m.state}</Badge>
                <Text as="span">{labelOf(automations, m.automation)}</Text>
                <Text as="span" tone="subdued">
                  {when(m.sentAt ?? m.createdAt)}
                </Text>
              </InlineStack>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Box>
  );
}

import { useEffect, useState } from "react";
import { BlockStack, Select, TextField } from "@shopify/polaris";
import { api } from "./api";
import { subscriberLabel } from "./labels";
import type { PageProps, Subscriber } from "./types";

/** How many matches the picker offers: a search narrows a longer list. */
const OFFERED = 50;

/** The field subscribers are searched by: what the API's `search` matches. */
export const SubscriberSearch = ({ label, value, onChange }: { label: string; value: string; onChange(search: string): void }) => (
  <TextField
    label={label}
    value={value}
    onChange={onChange}
    autoComplete="off"
    placeholder="Email, phone, customer id or uuid"
    clearButton
    onClearButtonClick={() => onChange("")}
  />
);

/**
 * One of the shop's subscribers to send to (a test message): the merchant finds them by email,
 * phone, customer id or uuid and picks one; a JoinChat uuid is nothing they could type.
 */
export function SubscriberPicker({ value, onChange, error, onError }: Pick<PageProps, "onError"> & { value: string; onChange(uuid: string): void; error?: string }) {
  const [search, setSearch] = useState("");
  const [found, setFound] = useState<Subscriber[] | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      const q = new URLSearchParams({ limit: String(OFFERED), ...(search.trim() ? { search: search.trim() } : {}) });
      api<{ subscribers: Subscriber[] }>("GET", `/subscribers?${q}`).then((r) => {
        setFound(r.subscribers);
        // The first match is picked unless the one picked is still among them.
        if (!r.subscribers.some((s) => s.uuid === value)) onChange(r.subscribers[0]?.uuid ?? "");
      }, onError);
    }, 250);
    return () => clearTimeout(timer);
  }, [search]);
  const options = (found ?? []).map((s) => ({ label: `${subscriberLabel(s)} · ${s.uuid}${s.windowOpen ? " · window open" : ""}`, value: s.uuid }));
  return (
    <BlockStack gap="200">
      <SubscriberSearch label="Find a subscriber" value={search} onChange={setSearch} />
      <Select
        label="Send to"
        options={options.length ? options : [{ label: found ? "No subscriber matches: a shopper opts in by clicking Send to Messenger on your store" : "Loading…", value: "" }]}
        value={value}
        onChange={onChange}
        disabled={!options.length}
        error={error}
      />
    </BlockStack>
  );
}

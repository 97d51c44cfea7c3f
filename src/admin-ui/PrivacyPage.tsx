import { useEffect, useState } from "react";
import { BlockStack, Button, Card, DataTable, SkeletonBodyText, Text } from "@shopify/polaris";
import { api } from "./api";
import type { PageProps } from "./types";

interface DataRequestRow {
  id: string;
  customerId: string | null;
  receivedAt: string;
}

/** Saves a report as a file: fetched with the session token, so a plain link would not be signed in. */
async function download(id: string): Promise<void> {
  const report = await api<{ customerId: string | null; receivedAt: string }>("GET", `/data-requests/${encodeURIComponent(id)}`);
  const url = URL.createObjectURL(new Blob([JSON.stringify(report, null, 2)], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `data-request-${report.customerId ?? "unknown"}-${report.receivedAt.slice(0, 10)}.json`;
  a.click();
  URL.revokeObjectURL(url);
}

/** customers/data_request reports: what the app holds on a customer, for the merchant to hand over. */
export function PrivacyPage({ onError }: PageProps) {
  const [rows, setRows] = useState<DataRequestRow[] | null>(null);
  useEffect(() => void api<{ requests: DataRequestRow[] }>("GET", "/data-requests").then((r) => setRows(r.requests), onError), []);
  if (!rows)
    return (
      <Card>
        <SkeletonBodyText lines={4} />
      </Card>
    );
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Customer data requests
        </Text>
        <Text as="p" tone="subdued">
          When a customer asks for their data, Shopify sends the app a request and the app writes down what it holds on them (uuid links, messages). Download the report and send it
          to the customer. Erasure requests need nothing from you: the app deletes the data itself.
        </Text>
        {rows.length === 0 ? (
          <Text as="p">No data requests so far.</Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text"]}
            headings={["Received", "Customer id", ""]}
            rows={rows.map((r) => [
              new Date(r.receivedAt).toLocaleString(),
              r.customerId ?? "unknown",
              <Button key={r.id} onClick={() => void download(r.id).catch(onError)}>
                Download
              </Button>,
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

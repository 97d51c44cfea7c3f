import { useEffect, useState } from "react";
import { BlockStack, Button, Card, InlineGrid, InlineStack, Select, SkeletonBodyText, Text, TextField } from "@shopify/polaris";
import { api, download } from "./api";
import { DailyChart, dayLabel } from "./DailyChart";
import type { GroupResult, PageProps, Results } from "./types";
import { labelOf } from "./labels";
import { PromotionsBanner } from "./PromotionsBanner";

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const revenueText = (revenue: GroupResult["revenue"]) => (revenue.length ? revenue.map((r) => `${r.amount} ${r.currency}`).join(" · ") : "—");

/** Recalled checkouts against held-out ones: how often each ordered, and the difference. */
function Groups({ groups, holdoutPercent }: { groups: NonNullable<Results["groups"]>; holdoutPercent: number }) {
  const rows: [string, GroupResult, string][] = [
    ["Recalled", groups.recalled, "recalled"],
    ["Holdout (no recall)", groups.holdout, "holdout"],
  ];
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Recalls against the holdout group
        </Text>
        <table style={{ borderCollapse: "collapse", width: "100%" }} data-testid="groups">
          <thead>
            <tr style={{ textAlign: "left" }}>
              <th>Group</th>
              <th>Checkouts</th>
              <th>Ordered</th>
              <th>Conversion</th>
              <th>Revenue</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, g, id]) => (
              <tr key={id} data-group={id}>
                <td>{label}</td>
                <td>{g.checkouts}</td>
                <td>{g.orders}</td>
                <td>{percent(g.conversion)}</td>
                <td>{revenueText(g.revenue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Text as="p" fontWeight="semibold">
          {groups.lift
            ? `Lift: ${groups.lift.points >= 0 ? "+" : ""}${groups.lift.points} percentage points${groups.lift.relative === null ? "" : ` (${groups.lift.relative >= 0 ? "+" : ""}${groups.lift.relative}% relative)`}`
            : "Lift: needs checkouts in both groups."}
        </Text>
        <Text as="p" tone="subdued">
          Each abandoned checkout is put in a group when its first recall comes due ({holdoutPercent}% held out now, set in Settings); a holdout checkout gets no recall. A group
          counts an order when one completes its checkout. With few checkouts the difference is mostly chance: wait for a few hundred in the holdout before trusting it.
        </Text>
      </BlockStack>
    </Card>
  );
}

const COLORS = { sent: "#29845a", skipped: "#b5b5b5", failed: "#e51c00" } as const;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

const PRESETS = [
  { label: "Last 7 days", value: "7" },
  { label: "Last 30 days", value: "30" },
  { label: "Last 90 days", value: "90" },
  { label: "Custom range", value: "custom" },
];

/** The range's query, as GET /admin/api/results and the exports take it. */
type Range = { days: string } | { from: string; to: string };
const queryOf = (r: Range) => ("days" in r ? `days=${r.days}` : `from=${r.from}&to=${r.to}`);

/** Presets, or two dates of the shop's own calendar, applied together. */
function RangePicker({ range, onChange, days }: { range: Range; onChange(r: Range): void; days: string[] }) {
  const [preset, setPreset] = useState("days" in range ? range.days : "custom");
  const [from, setFrom] = useState(days[0] ?? "");
  const [to, setTo] = useState(days.at(-1) ?? "");
  return (
    <InlineStack gap="300" blockAlign="end" wrap>
      <Select
        label="Period"
        options={PRESETS}
        value={preset}
        onChange={(v) => {
          setPreset(v);
          if (v !== "custom") onChange({ days: v });
        }}
      />
      {preset === "custom" && (
        <>
          <TextField label="From" type="date" value={from} onChange={setFrom} autoComplete="off" />
          <TextField label="To" type="date" value={to} onChange={setTo} autoComplete="off" />
          <Button onClick={() => onChange({ from, to })}>Show</Button>
        </>
      )}
    </InlineStack>
  );
}

/** One headline figure: its label, the value large, and a note under it. */
function Figure({ label, value, testId, note }: { label: string; value: string | number; testId: string; note?: string }) {
  return (
    <BlockStack>
      <Text as="p" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg">
        <span data-testid={testId}>{value}</span>
      </Text>
      {note && (
        <Text as="p" tone="subdued">
          {note}
        </Text>
      )}
    </BlockStack>
  );
}

/** Buttons go through the app's redirect when on: the domain to allow in JoinChat, and the switch. */
function ClickTracking({ results, onToggle }: { results: Results; onToggle(on: boolean): void }) {
  const { on, domain, available } = results.clickTracking;
  const total = sum(Object.values(results.clicks).map(sum));
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Clicks on message buttons
        </Text>
        {!available ? (
          <Text as="p" tone="subdued">
            Click tracking needs the app&apos;s Shopify credentials to sign its links; ask whoever runs the app to set them.
          </Text>
        ) : on ? (
          <>
            <Text as="p">
              <span data-testid="clicks-total">{total}</span> {total === 1 ? "click" : "clicks"} in this period. Buttons lead through <b>{domain}</b>, which must stay on your
              bot&apos;s URL allow-list in JoinChat.
            </Text>
            <InlineStack>
              <Button onClick={() => onToggle(false)}>Stop tracking clicks</Button>
            </InlineStack>
          </>
        ) : (
          <>
            <Text as="p">
              Count clicks on the buttons of your messages, and credit orders to them (Settings → Results, &quot;click&quot;). First add <b>{domain}</b> to your bot&apos;s URL
              allow-list in JoinChat (Settings → API → URL allow-list): every button will then lead through it, then straight on to the same page as before.
            </Text>
            <InlineStack>
              <Button onClick={() => onToggle(true)}>Track clicks</Button>
            </InlineStack>
          </>
        )}
      </BlockStack>
    </Card>
  );
}

export function ResultsPage({ onError, notify, automations }: PageProps) {
  const [range, setRange] = useState<Range>({ days: "30" });
  const [results, setResults] = useState<Results | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  const load = (r: Range) => api<Results>("GET", `/results?${queryOf(r)}`).then(setResults, onError);
  useEffect(() => void load(range), [range]);
  if (!results)
    return (
      <Card>
        <SkeletonBodyText lines={6} />
      </Card>
    );
  const { days } = results;
  const period = `${dayLabel(days[0]!)} to ${dayLabel(days.at(-1)!)}`;
  const exportCsv = (what: "messages" | "orders") => {
    setExporting(what);
    download(`/results/${what}.csv?${queryOf(range)}`)
      .catch(onError)
      .finally(() => setExporting(null));
  };
  const toggleClicks = (on: boolean) =>
    api("PUT", "/settings", { results: { trackClicks: on } }).then(
      () => (notify(on ? "Clicks are tracked from the next message sent" : "Click tracking stopped"), load(range)),
      onError,
    );
  return (
    <BlockStack gap="400">
      <PromotionsBanner onError={onError} status={results.promotions} />
      <Card>
        <InlineStack gap="400" align="space-between" blockAlign="end" wrap>
          <RangePicker range={range} onChange={setRange} days={days} />
          <InlineStack gap="200" wrap>
            <Button onClick={() => exportCsv("messages")} loading={exporting === "messages"}>
              Export messages (CSV)
            </Button>
            <Button onClick={() => exportCsv("orders")} loading={exporting === "orders"}>
              Export orders (CSV)
            </Button>
          </InlineStack>
        </InlineStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Recovered orders, {period}
          </Text>
          <InlineStack gap="800" wrap>
            <Figure label="Paid orders" testId="recovered-orders" value={results.recovered.orders} />
            <Figure label="Revenue" testId="recovered-revenue" value={revenueText(results.recovered.revenue)} />
            <Figure label="Awaiting payment" testId="pending-orders" value={results.pending.orders} note={revenueText(results.pending.revenue)} />
          </InlineStack>
          <DailyChart days={days} label="Paid orders recovered" series={[{ label: "paid orders", color: "#005bd3", values: results.recovered.daily }]} />
          <Text as="p" tone="subdued">
            <span data-testid="attribution-rule">{results.attribution.rule}</span> Only paid orders count; an order awaiting payment (bank transfer, cash on delivery) moves over
            when it is paid. Change the rule in Settings → Results.
          </Text>
        </BlockStack>
      </Card>
      <ClickTracking results={results} onToggle={toggleClicks} />
      {results.groups && <Groups groups={results.groups} holdoutPercent={results.holdoutPercent} />}
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        {Object.entries(results.automations).map(([automation, series]) => (
          <Card key={automation}>
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                {labelOf(automations, automation)}
              </Text>
              <DailyChart
                days={days}
                label={`${labelOf(automations, automation)} messages`}
                series={(["sent", "skipped", "failed"] as const).map((state) => ({ label: state, color: COLORS[state], values: series[state] }))}
              />
              <InlineStack gap="400" wrap>
                {(["sent", "skipped", "failed"] as const).map((state) => (
                  <InlineStack gap="100" blockAlign="center" key={state}>
                    <span style={{ width: 10, height: 10, background: COLORS[state], display: "inline-block", borderRadius: 2 }} />
                    <Text as="span">
                      {sum(series[state])} {state}
                    </Text>
                  </InlineStack>
                ))}
                {results.clickTracking.on && (
                  <Text as="span">
                    <span data-testid={`clicks-${automation}`}>{sum(results.clicks[automation] ?? [])}</span> {sum(results.clicks[automation] ?? []) === 1 ? "click" : "clicks"}
                  </Text>
                )}
              </InlineStack>
              {results.outsideWindow[automation] && (
                <div data-testid={`outside-window-${automation}`}>
                  <Text as="p" tone="caution">
                    {results.outsideWindow[automation].count} held outside the customer's 24-hour Messenger window. {results.outsideWindow[automation].advice}
                  </Text>
                </div>
              )}
              {(results.reasons[automation] ?? []).length > 0 && (
                <BlockStack gap="100">
                  <Text as="p" fontWeight="semibold">
                    Why some were not sent
                  </Text>
                  {results.reasons[automation]!.map((r) => (
                    <Text as="p" tone="subdued" key={`${r.state}-${r.reason}`}>
                      {r.count} {r.state}: {r.reason}
                    </Text>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        ))}
      </InlineGrid>
      <Text as="p" tone="subdued">
        <span data-testid="results-period">
          {days[0]} to {days.at(-1)} ({results.timeZone})
        </span>
        , by the day each message was sent, skipped or failed and each order was placed, in the shop&apos;s time zone.
      </Text>
    </BlockStack>
  );
}

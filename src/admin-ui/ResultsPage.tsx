import { useEffect, useState } from "react";
import { BlockStack, Card, InlineGrid, InlineStack, SkeletonBodyText, Text } from "@shopify/polaris";
import { api } from "./api";
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

/** Stacked daily bars of sent, skipped and failed: small enough to sit in a card. */
function Bars({ series, days }: { series: Record<keyof typeof COLORS, number[]>; days: string[] }) {
  const width = 300;
  const height = 80;
  const totals = days.map((_, i) => series.sent[i]! + series.skipped[i]! + series.failed[i]!);
  const max = Math.max(1, ...totals);
  const w = width / days.length;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" width="100%" height={height} role="img" aria-label="messages per day">
      {days.map((day, i) => {
        let y = height;
        return (["sent", "skipped", "failed"] as const).map((state) => {
          const h = (series[state][i]! / max) * (height - 4);
          y -= h;
          return h > 0 ? (
            <rect key={`${day}-${state}`} x={i * w + 1} y={y} width={Math.max(1, w - 2)} height={h} fill={COLORS[state]}>
              <title>{`${day}: ${series[state][i]} ${state}`}</title>
            </rect>
          ) : null;
        });
      })}
      <line x1="0" y1={height - 0.5} x2={width} y2={height - 0.5} stroke="#d4d4d4" />
    </svg>
  );
}

export function ResultsPage({ onError, automations }: PageProps) {
  const [results, setResults] = useState<Results | null>(null);
  useEffect(() => void api<Results>("GET", "/results?days=30").then(setResults, onError), []);
  if (!results)
    return (
      <Card>
        <SkeletonBodyText lines={6} />
      </Card>
    );
  const { days } = results;
  return (
    <BlockStack gap="400">
      <PromotionsBanner onError={onError} status={results.promotions} />
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Recovered by abandoned-checkout recalls (last 30 days)
          </Text>
          <InlineStack gap="800">
            <BlockStack>
              <Text as="p" tone="subdued">
                Orders
              </Text>
              <Text as="p" variant="headingLg">
                <span data-testid="recovered-orders">{results.recovered.orders}</span>
              </Text>
            </BlockStack>
            <BlockStack>
              <Text as="p" tone="subdued">
                Revenue
              </Text>
              <Text as="p" variant="headingLg">
                {revenueText(results.recovered.revenue)}
              </Text>
            </BlockStack>
          </InlineStack>
          <Text as="p" tone="subdued">
            <span data-testid="attribution-rule">{results.attribution.rule}</span> Change the rule in Settings → Results.
          </Text>
        </BlockStack>
      </Card>
      {results.groups && <Groups groups={results.groups} holdoutPercent={results.holdoutPercent} />}
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        {Object.entries(results.automations).map(([automation, series]) => (
          <Card key={automation}>
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                {labelOf(automations, automation)}
              </Text>
              <Bars series={series} days={days} />
              <InlineStack gap="400">
                {(["sent", "skipped", "failed"] as const).map((state) => (
                  <InlineStack gap="100" blockAlign="center" key={state}>
                    <span style={{ width: 10, height: 10, background: COLORS[state], display: "inline-block", borderRadius: 2 }} />
                    <Text as="span">
                      {sum(series[state])} {state}
                    </Text>
                  </InlineStack>
                ))}
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
        {days[0]} to {days.at(-1)} (UTC), by the day each message was sent, skipped or failed.
      </Text>
    </BlockStack>
  );
}

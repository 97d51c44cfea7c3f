import { useEffect, useState } from "react";
import { Banner, Text } from "@shopify/polaris";
import { api } from "./api";
import type { PageProps, PromotionStatus } from "./types";

/**
 * Says, while it holds, that the shop's promotions are paused because JoinChat refused too many of
 * them, and lets the merchant resume them. Nothing while they are not paused.
 */
export function PromotionsBanner({
  onError,
  status,
  onResumed,
  refreshKey,
}: Pick<PageProps, "onError"> & { status?: PromotionStatus; onResumed?: () => void; refreshKey?: number }) {
  const [current, setCurrent] = useState<PromotionStatus | null>(status ?? null);
  const [resuming, setResuming] = useState(false);
  useEffect(() => {
    if (status) setCurrent(status);
    else api<PromotionStatus>("GET", "/promotions").then(setCurrent, onError);
  }, [status, refreshKey]);
  if (!current?.paused) return null;
  async function resume() {
    setResuming(true);
    try {
      setCurrent(await api<PromotionStatus>("POST", "/promotions/resume"));
      onResumed?.();
    } catch (err) {
      onError(err);
    } finally {
      setResuming(false);
    }
  }
  return (
    <div data-testid="promotions-paused">
      <Banner tone="critical" title="Promotions are paused to protect your Facebook page" action={{ content: "Resume promotions", onAction: resume, loading: resuming }}>
        <Text as="p">
          JoinChat refused {current.refused} of your last {current.attempted} promotions and tagged messages (customers who blocked your page or never opted in). Meta restricts
          pages whose messages draw that much negative feedback, so the app stopped sending promotions, and messages that would go tagged past the 24-hour window: those that come
          due are skipped, with the reason, in Deliveries. Receipts and shipping notices inside the window still go.
        </Text>
        <Text as="p">
          They resume by themselves as the refusals age out of the last 24 hours. Resuming now starts the count afresh: promotions pause again only if new ones are refused as
          often.
        </Text>
      </Banner>
    </div>
  );
}

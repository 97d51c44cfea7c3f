// The admin API's answers as the page reads them: the server's own types (src/admin-views.ts),
// dates as the ISO strings JSON carries. Nothing here is written twice.
import type * as Views from "../admin-views";
import type { Wire } from "../admin-views";

export type {
  Automation,
  AutomationView,
  BotButton,
  BotButtonAutomation,
  DeliveryStatus,
  GroupResultView as GroupResult,
  LinkDomain,
  Message,
  Preview,
  PromotionStatusView as PromotionStatus,
  ResultsView as Results,
  SetupItem,
  SwitchedAutomation,
  TemplatesView,
} from "../admin-views";
export type ShopSettings = Views.SettingsView;
export type ShopView = Views.ShopView;
export type Delivery = Wire<Views.DeliveryView>;
export type FailedEvent = Wire<Views.FailedEventView>;
export type JoinChatOutage = Wire<Views.JoinChatOutageView>;
export type Subscriber = Wire<Views.SubscriberView>;
export type SubscriberMessage = Wire<Views.SubscriberMessageView>;
export type Button = NonNullable<Extract<Views.Message, { template_type: "button" }>["buttons"]>[number];

/** What every page gets: a way to say something briefly, and to report a refused session. */
export interface PageProps {
  notify(message: string, error?: boolean): void;
  onError(err: unknown): void;
  /** The automations with their one name each (src/admin-ui/labels.ts reads it); empty until the shop has loaded. */
  automations: readonly Views.AutomationView[];
}

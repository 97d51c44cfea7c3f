import { botButton } from "../messages/builders";
import type { Button } from "../messages/schema";
import type { BotButtonAutomation } from "../policy/automations";
import type { ShopRecord } from "../store/shops";

/**
 * The shop's button into its JoinChat bot for `automation` (a postback starting a block or flow),
 * as a list of none or one, to append to the message's own buttons. Receipts have none: JoinChat's
 * receipt template carries no buttons.
 */
export function botButtonsOf(shop: ShopRecord, automation: BotButtonAutomation): Button[] {
  const b = shop.settings.botButtons[automation];
  return b ? [botButton(b.title, b.start, b.id)] : [];
}

// Names the merchant reads, shared by pages that load apart (each page is its own chunk).
import type { AutomationView } from "./types";

/** What the delivery log calls a message sent by hand (a test message, `npm run cli -- send`): no automation of the catalog. */
export const MANUAL_LABEL = "Test message";

/** An automation by the one name its catalog entry gives it (served with the shop), on every page alike. */
export const labelOf = (automations: readonly AutomationView[], name: string): string =>
  name === "manual" ? MANUAL_LABEL : (automations.find((a) => a.name === name)?.label ?? name);

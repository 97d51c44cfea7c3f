import type { AppContext } from "../context";
import type { FlagSpec } from "./args";
import {
  ADMIN_LOGIN_FLAGS,
  adminLogin,
  deliveries,
  DELIVERIES_FLAGS,
  deliveriesRetry,
  LINK_ADD_FLAGS,
  linkAdd,
  RETRY_FLAGS,
  send,
  SEND_FLAGS,
  SHOP_SET_FLAGS,
  shopSet,
  type Print,
} from "./commands";
import { KEYS_ROTATE_FLAGS, keysRotate } from "./keys-rotate";

export interface Command {
  summary: string;
  flags: Record<string, FlagSpec>;
  run(ctx: AppContext, argv: string[], print: Print): Promise<void>;
}

/** Every operator command by name; `npm run cli -- <name>` looks it up here. */
export const COMMANDS: Record<string, Command> = {
  "shop:set": { summary: "Creates a shop's JoinChat settings, or changes only the ones given.", flags: SHOP_SET_FLAGS, run: shopSet },
  "link:add": { summary: "Links a JoinChat uuid to a customer (exactly one of --customer-id, --email, --phone), as the storefront would.", flags: LINK_ADD_FLAGS, run: linkAdd },
  send: { summary: "Sends one text message now, signed, records it in the delivery log and prints JoinChat's answer.", flags: SEND_FLAGS, run: send },
  deliveries: {
    summary: "The delivery log: each message, its state, attempts and last error (JoinChat's refusal code and message when it refused).",
    flags: DELIVERIES_FLAGS,
    run: deliveries,
  },
  "deliveries:retry": { summary: "Puts failed messages (the dead letters) back in the queue, due now.", flags: RETRY_FLAGS, run: deliveriesRetry },
  "admin:login": {
    summary: "Prints a sign-in address for the merchant admin outside Shopify admin (needs SHOPIFY_API_KEY and SHOPIFY_API_SECRET).",
    flags: ADMIN_LOGIN_FLAGS,
    run: adminLogin,
  },
  "keys:rotate": {
    summary:
      "Seals every stored secret and token again with NEW_ENCRYPTION_KEY, opening them with ENCRYPTION_KEY (both from the environment or .env, never flags); resumable: run it again after an interruption. Stop the app first.",
    flags: KEYS_ROTATE_FLAGS,
    run: keysRotate,
  },
};

/** `npm run cli -- --help`. */
export function cliHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    "usage: npm run cli -- <command> [flags]",
    "",
    "commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "npm run cli -- <command> --help shows a command's flags. Bad input exits 2 with one line.",
  ].join("\n");
}

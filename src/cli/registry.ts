import type { AppContext } from "../context";
import { adminLogin, deliveries, deliveriesRetry, linkAdd, send, shopSet, type Print } from "./commands";

export type Command = (ctx: AppContext, argv: string[], print: Print) => Promise<void>;

/** Every operator command by name; `npm run cli -- <name>` looks it up here. */
export const COMMANDS: Record<string, Command> = {
  "shop:set": shopSet,
  "link:add": linkAdd,
  send,
  deliveries,
  "deliveries:retry": deliveriesRetry,
  "admin:login": adminLogin,
};

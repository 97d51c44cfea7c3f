import { Router, type Request, type Response } from "express";
import type { AppContext } from "../context";
import { InvalidClickTokenError, readClickToken } from "../messages/click-token";
import type { Message } from "../messages/schema";
import { trackedUrl } from "../messages/tracked-links";

/** A short page for a link that leads nowhere: the customer sees why, no target is revealed. */
function notFollowed(res: Response, status: 400 | 404, why: string): void {
  res.status(status).type("text/plain; charset=utf-8").send(`${why}\n`);
}

/**
 * GET /c/<token>: a message button's tracked link (src/messages/tracked-links.ts). The token is
 * signed by the app (src/messages/click-token.ts) and names a sent message and a link in it; the
 * target is read from the message as stored, so the redirect can only lead where the app's own
 * message led: never an open redirect. Each click is recorded, then answered with a 302.
 */
export function clickRedirectRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get("/c/:token", async (req: Request<{ token: string }>, res: Response) => {
    res.set({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex" });
    const secret = ctx.config.SHOPIFY_API_SECRET;
    if (!secret) return notFollowed(res, 404, "This link is not available.");
    let named: { deliveryId: string; link: number };
    try {
      named = readClickToken(secret, req.params.token);
    } catch (err) {
      if (err instanceof InvalidClickTokenError) return notFollowed(res, 400, "This link is not valid: it was changed after the shop sent it.");
      throw err;
    }
    const message = await ctx.clicks.messageOf(named.deliveryId);
    const target = message ? trackedUrl(JSON.parse(message.message) as Message, named.link) : null;
    if (!message || !target) return notFollowed(res, 404, "This link has expired.");
    await ctx.clicks.record(message, named.link, ctx.clock.now());
    res.redirect(302, target);
  });
  return router;
}

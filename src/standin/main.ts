// `npm run standin`: the local JoinChat stand-in on its own, for trying the app by hand.
// Pages come from STANDIN_PAGES ("<page id>:<secret>,..."); more can be added with POST /_control.
import { JoinChatStandIn } from "./server";

const pages = Object.fromEntries(
  (process.env.STANDIN_PAGES ?? "")
    .split(",")
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf(":");
      return [pair.slice(0, i), pair.slice(i + 1)];
    }),
);
const standIn = new JoinChatStandIn(pages);
standIn.listen(Number(process.env.STANDIN_PORT ?? 4010)).then((url) => {
  console.log(`JoinChat stand-in listening: set JOINCHAT_API_URL=${url}`);
});

// The benchmark's delivery baseline: a bare loop that signs and POSTs the bodies the app would
// send (read from the JSON file in BODIES) to JoinChat (JOINCHAT_API_URL), CONCURRENCY at a time,
// with the app's HTTP client (undici's request) and JoinChat's signature (base64 HMAC-SHA256 of
// the body bytes with the page's secret). No database: the most a sender on this runtime can do.
import crypto from "node:crypto";
import fs from "node:fs";
import { request } from "undici";

const bodies = JSON.parse(fs.readFileSync(process.env.BODIES, "utf8"));
const secret = process.env.JOINCHAT_SECRET;
const url = process.env.JOINCHAT_API_URL;
let next = 0;
let failed = 0;
async function lane() {
  while (next < bodies.length) {
    const body = bodies[next++];
    const signature = crypto.createHmac("sha256", secret).update(body).digest("base64");
    const res = await request(url, { method: "POST", headers: { "content-type": "application/json", "x-joinchat-signature": signature }, body });
    const answer = JSON.parse(await res.body.text());
    if (res.statusCode !== 200 || answer.success !== true) failed++;
  }
}
await Promise.all(Array.from({ length: Number(process.env.CONCURRENCY) }, lane));
console.log(JSON.stringify({ sent: bodies.length - failed, failed }));

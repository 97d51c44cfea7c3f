import http from "node:http";
import type { AddressInfo } from "node:net";
import { JoinChatClient } from "../../src/joinchat/client";
import { PermanentSendError, RetryableSendError } from "../../src/joinchat/errors";
import { signBody } from "../../src/joinchat/signature";
import { MessageLimitError } from "../../src/messages/validate";
import type { SendBody } from "../../src/messages/schema";
import { JoinChatStandIn } from "../../src/standin/server";

const PAGE = "1234567890";
const SECRET = "bot-secret";
const body: SendBody = { page_id: PAGE, recipient: { uuid: "u-1" }, message: { template_type: "text", text: "Hello" }, tag: "PAYMENT_UPDATE" };

describe("JoinChat client against the stand-in over loopback", () => {
  const standIn = new JoinChatStandIn({ [PAGE]: SECRET });
  let client: JoinChatClient;
  beforeAll(async () => {
    client = new JoinChatClient({ apiUrl: await standIn.listen(), timeoutMs: 300, retryAfterMaxMs: 3_600_000 });
  });
  afterEach(() => standIn.reset());
  afterAll(() => standIn.close());

  it("sends the exact bytes it signed, and the stand-in accepts the signature", async () => {
    const result = await client.send(body, SECRET);
    expect(result.answer.status).toBe(200);
    expect(standIn.messages).toHaveLength(1);
    const got = standIn.messages[0]!;
    expect(got.raw).toBe(result.sentBody);
    expect(got.signature).toBe(signBody(result.sentBody, SECRET));
    expect(got.body.recipient).toEqual({ uuid: "u-1" });
  });

  it("gets a permanent error when signed with a wrong secret, and nothing is recorded", async () => {
    await expect(client.send(body, "rotated-away")).rejects.toBeInstanceOf(PermanentSendError);
    expect(standIn.messages).toHaveLength(0);
  });

  it("refuses a body that breaks a rule before anything is sent", async () => {
    const long = { ...body, message: { template_type: "text" as const, text: "x".repeat(641) } };
    await expect(client.send(long, SECRET)).rejects.toMatchObject({ name: "MessageLimitError", field: "message.text", rule: "at most 640 characters" });
    await expect(client.send({ ...body, delay: 11 }, SECRET)).rejects.toBeInstanceOf(MessageLimitError);
    expect(standIn.calls).toHaveLength(0);
  });

  it.each([
    [408, "server"],
    [429, "throttled"],
    [500, "server"],
    [503, "server"],
  ])("classifies %i as retryable (%s) and keeps the answer", async (status, kind) => {
    standIn.set({ failNext: 1, failStatus: status });
    const err = await client.send(body, SECRET).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableSendError);
    expect((err as RetryableSendError).kind).toBe(kind);
    expect((err as RetryableSendError).answer.status).toBe(status);
    expect((err as RetryableSendError).answer.body).toContain("injected failure");
  });

  it.each([400, 401, 403, 404, 422])("classifies %i as permanent", async (status) => {
    standIn.set({ failNext: 1, failStatus: status });
    await expect(client.send(body, SECRET)).rejects.toBeInstanceOf(PermanentSendError);
  });

  it("times out a call that gets no answer, as retryable", async () => {
    standIn.set({ hangNext: 1 });
    const err = await client.send(body, SECRET).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableSendError);
    expect((err as Error).message).toMatch(/timed out after 300 ms/);
    // The body went: it may have reached the customer.
    expect((err as RetryableSendError).kind).toBe("unanswered");
  });

  it("treats a refused connection as retryable: nothing went", async () => {
    const down = new JoinChatClient({ apiUrl: "http://127.0.0.1:1/api/send_message", timeoutMs: 500, retryAfterMaxMs: 3_600_000 });
    const err = await down.send(body, SECRET).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableSendError);
    expect((err as RetryableSendError).kind).toBe("unreachable");
  });

  it("answers slowly when told to", async () => {
    standIn.set({ latencyMs: 150 });
    const started = process.hrtime.bigint();
    await client.send(body, SECRET);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeGreaterThanOrEqual(140);
  });
});

describe("JoinChat client: a 2xx counts as sent only with JoinChat's own answer", () => {
  let answer: { type: string; body: string } = { type: "application/json", body: "" };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": answer.type }).end(answer.body));
  });
  let client: JoinChatClient;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    client = new JoinChatClient({ apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/send_message`, timeoutMs: 1000, retryAfterMaxMs: 3_600_000 });
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it.each([
    ["an HTML page from a proxy", "text/html", "<html><body>Bad gateway, try later</body></html>"],
    ["an empty body", "application/json", ""],
    ['"success" as the string "false"', "application/json", '{"success":"false"}'],
    ["a JSON array", "application/json", "[true]"],
    ["no success key", "application/json", '{"recipient_id":"1"}'],
  ])("%s: a retryable failure, the answer kept verbatim", async (_, type, text) => {
    answer = { type, body: text };
    const err = await client.send(body, SECRET).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableSendError);
    expect((err as RetryableSendError).kind).toBe("server");
    expect((err as RetryableSendError).answer).toEqual({ status: 200, body: text });
    expect((err as Error).message).toMatch(/^JoinChat answered 200 without its \{"success": true\}/);
  });

  it('{"success": true}: sent', async () => {
    answer = { type: "application/json", body: '{"success":true,"recipient_id":"42"}' };
    await expect(client.send(body, SECRET)).resolves.toMatchObject({ recipientId: "42" });
  });
});

import fs from "node:fs";
import { AUTOMATIONS } from "../../src/policy/automations";
import { isReasonCode, plainReason, REASONS } from "../../src/policy/reasons";
import { PermanentSendError, reasonOfSendError, RefusedSendError, RetryableSendError } from "../../src/joinchat/errors";

describe("reasons as codes", () => {
  it("say a stored code in plain words, and a row from before codes as it was recorded", () => {
    expect(plainReason("holdout", "holdout: not sent")).toBe(REASONS.holdout);
    expect(plainReason(null, "JoinChat answered 503: busy")).toBe("JoinChat answered 503: busy");
    expect(plainReason("no_such_code", "as recorded")).toBe("as recorded");
    expect(plainReason(null, null)).toBeNull();
  });

  it("name every reason an automation lists in the one table", () => {
    for (const [name, a] of Object.entries(AUTOMATIONS)) for (const code of a.reasons) expect([name, isReasonCode(code)]).toEqual([name, true]);
  });

  it("are read from JoinChat's answer by what it says, not by the app's prose", () => {
    const answer = (status: number | null, body = "") => ({ status, body });
    expect(reasonOfSendError(new RefusedSendError({ code: "10010", msg: "Recipient not found" }, answer(200)))).toBe("unknown_recipient");
    expect(reasonOfSendError(new RefusedSendError({ code: "2001", msg: "nope" }, answer(200)))).toBe("refused");
    expect(reasonOfSendError(new PermanentSendError("JoinChat answered 401: x", answer(401)))).toBe("signature_refused");
    expect(reasonOfSendError(new RefusedSendError({ code: null, msg: "signature does not match" }, answer(200, '{"success":false,"error":"signature does not match"}')))).toBe(
      "signature_refused",
    );
    expect(reasonOfSendError(new PermanentSendError("JoinChat answered 404: x", answer(404)))).toBe("unknown_page");
    expect(reasonOfSendError(new PermanentSendError("JoinChat answered 422: x", answer(422)))).toBe("refused");
    expect(reasonOfSendError(new RetryableSendError("JoinChat timed out", answer(null), "unanswered"))).toBe("unanswered");
    expect(reasonOfSendError(new RetryableSendError('JoinChat answered 200 without its {"success": true}', answer(200, "<html>"), "server"))).toBe("not_joinchat");
    expect(reasonOfSendError(new RetryableSendError("JoinChat answered 503", answer(503), "server"))).toBeNull();
  });

  it("keep the table free of pattern matching over the app's own words", () => {
    const source = fs.readFileSync("src/policy/reasons.ts", "utf8");
    expect(source).not.toMatch(/RegExp|\.test\(|\.match\(|\/\^/);
  });
});

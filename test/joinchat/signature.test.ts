import { isValidSignature, signBody } from "../../src/joinchat/signature";

// The vendor's PHP example, byte for byte: base64_encode(hash_hmac('sha256', $params, 'xxxxx', true)).
const VENDOR_BODY = '{"page_id":12345,"recipient":{"id":"123456"},\n"message":{"template_type":"text","text":"Hello World"},\n"tag":"ACCOUNT_UPDATE","delay":1}';
// Computed outside this project (Python's hmac module) from the body above and the secret "xxxxx".
const VENDOR_SIGNATURE = "QFb9CgcK2lgmHNAN7QNnRQWq2TUzBPE2/AREy32VtPk=";

describe("JoinChat signature", () => {
  it("reproduces the vendor's PHP example exactly", () => {
    expect(signBody(VENDOR_BODY, "xxxxx")).toBe(VENDOR_SIGNATURE);
  });

  it("signs bytes, so the same JSON with other whitespace gets another signature", () => {
    expect(signBody(VENDOR_BODY.replace(/\n/g, ""), "xxxxx")).not.toBe(VENDOR_SIGNATURE);
  });

  it("accepts the right signature and refuses a wrong secret, a changed body or none", () => {
    expect(isValidSignature(VENDOR_BODY, "xxxxx", VENDOR_SIGNATURE)).toBe(true);
    expect(isValidSignature(VENDOR_BODY, "yyyyy", VENDOR_SIGNATURE)).toBe(false);
    expect(isValidSignature(VENDOR_BODY + " ", "xxxxx", VENDOR_SIGNATURE)).toBe(false);
    expect(isValidSignature(VENDOR_BODY, "xxxxx", undefined)).toBe(false);
  });
});

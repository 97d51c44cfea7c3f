import { sendDecision } from "../../src/policy/tags";

describe("Meta's 2026 rules at send time", () => {
  const receipt = { promotional: false, tag: "PAYMENT_UPDATE" as const };
  const recall = { promotional: true, tag: null };
  it("sends every message untagged inside the 24-hour window, promotions included", () => {
    expect(sendDecision(receipt, true, "send_tagged")).toEqual({ send: true, tag: null });
    expect(sendDecision(receipt, true, "hold")).toEqual({ send: true, tag: null });
    expect(sendDecision(recall, true, "send_tagged")).toEqual({ send: true, tag: null });
  });
  it("never sends a promotion past the window, whatever the shop chose", () => {
    for (const choice of ["send_tagged", "hold"] as const)
      expect(sendDecision(recall, false, choice)).toEqual({ send: false, reason: "promotional message and the recipient's 24-hour window has closed" });
  });
  it("past the window sends a transactional message with its tag, or holds it with the reason", () => {
    expect(sendDecision(receipt, false, "send_tagged")).toEqual({ send: true, tag: "PAYMENT_UPDATE" });
    expect(sendDecision(receipt, false, "hold")).toEqual({ send: false, reason: "past the 24-hour window: held, as the shop chose (hold past 24 hours)" });
  });
});

import { tagWords } from "../../src/admin-ui/delivery-words";

describe("the delivery log's tag column", () => {
  const row = (state: string, tag: string | null, o: { automation?: string; sentBody?: string | null } = {}) =>
    tagWords({ state: state as never, tag, automation: o.automation ?? "receipt", sentBody: o.sentBody ?? null });

  it("says what a sent message went with: no tag inside the window, the tag past it", () => {
    expect(row("sent", null)).toBe("No tag, inside the 24-hour window");
    expect(row("sent", "POST_PURCHASE_UPDATE")).toBe("Tag “post-purchase update”, past the 24-hour window");
    expect(row("sent", null, { automation: "manual" })).toBe("No tag (a test message)");
  });

  it("never names a tag that was not sent: a waiting receipt's tag is only for after the window, an unsent message has none", () => {
    expect(row("scheduled", "ACCOUNT_UPDATE")).toBe("No tag inside the 24-hour window; tag “account update” after it");
    expect(row("scheduled", null)).toBe("No tag: goes only inside the 24-hour window");
    for (const state of ["skipped", "cancelled"]) expect(row(state, "POST_PURCHASE_UPDATE")).toBe("Nothing sent");
    expect(row("failed", "POST_PURCHASE_UPDATE")).toBe("Nothing sent");
    expect(row("failed", "POST_PURCHASE_UPDATE", { sentBody: "{}" })).toBe("Tried with tag “post-purchase update”");
  });
});

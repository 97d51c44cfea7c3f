import { maskRecipient } from "../../src/recipients/mask";

describe("recipients as the admin shows them", () => {
  it.each([
    [{ uuid: "jc_8f3a2b1c-Visitor_42" }, "uuid:jc_8f…42"],
    [{ email: "alan.turing@example.com" }, "email:al…@example.com"],
    [{ phone: "+85291234567" }, "phone:+852…67"],
    [{ id: "1234567890123" }, "id:12345…23"],
    [{ uuid: "u-1" }, "uuid:u…"],
  ])("masks %j as %s", (recipient, shown) => {
    expect(maskRecipient(recipient as never)).toBe(shown);
  });
});

import { orderedId } from "../../src/store/sql/write-outcome";

describe("a new delivery row's id", () => {
  it("sorts in the order the process made it, however many come in one millisecond", () => {
    const ids = Array.from({ length: 5000 }, () => orderedId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^c[a-z0-9]+$/);
  });
});

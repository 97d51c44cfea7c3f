import crypto from "node:crypto";
import { keyPart, sha256Hex } from "../../src/policy/key-part";

/** What keyPart gave when it hashed with node:crypto: every delivery key stored before must come out the same. */
const keyPartBefore = (value: string) => (value.length <= 200 ? value : `${value.slice(0, 100)}~${crypto.createHash("sha256").update(value).digest("hex")}`);
const nodeSha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");

/** A seeded generator, so a failure can be run again as it was. */
function generator(seed: number) {
  let s = seed >>> 0;
  return (below: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % below;
  };
}

/** Code units from every range UTF-8 encodes differently: ASCII, 2 and 3 bytes, pairs (4 bytes), lone surrogates. */
function randomText(next: (below: number) => number, length: number): string {
  const units: number[] = [];
  while (units.length < length) {
    const kind = next(6);
    if (kind === 0) units.push(next(0x80));
    else if (kind === 1) units.push(0x80 + next(0x780));
    else if (kind === 2) units.push(0x800 + next(0xd800 - 0x800));
    else if (kind === 3) units.push(0xe000 + next(0x2000));
    else if (kind === 4) units.push(0xd800 + next(0x400), 0xdc00 + next(0x400));
    else units.push(0xd800 + next(0x800));
  }
  let text = "";
  for (let i = 0; i < length; i += 10_000) text += String.fromCharCode(...units.slice(i, Math.min(i + 10_000, length)));
  return text;
}

describe("keyPart's sha256, free of Node", () => {
  it("gives node:crypto's answer on the standard's examples and around every padding boundary", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    for (let n = 0; n <= 300; n++) {
      const text = "x".repeat(n);
      expect([n, sha256Hex(text)]).toEqual([n, nodeSha256(text)]);
    }
  });

  it("gives node:crypto's answer for random text of every kind of character, lone surrogates included, short and long", () => {
    const next = generator(20_261_206);
    for (let i = 0; i < 2_500; i++) {
      const text = randomText(next, i < 2_000 ? next(300) : 200 + next(10_000));
      expect([i, sha256Hex(text)]).toEqual([i, nodeSha256(text)]);
    }
    const large = randomText(next, 1_000_000);
    expect(sha256Hex(large)).toBe(nodeSha256(large));
  });

  it("leaves every key as it was: the same parts, short or long, as with node:crypto", () => {
    const next = generator(7);
    const values = [
      "5918291939462",
      "a".repeat(200),
      "a".repeat(201),
      "SF".padEnd(3_000, "7"),
      "追踪号码".repeat(80),
      "📦".repeat(150),
      `${"x".repeat(99)}😀${"y".repeat(200)}`,
      ...Array.from({ length: 500 }, () => randomText(next, 150 + next(2_000))),
    ];
    for (const value of values) expect(keyPart(value)).toBe(keyPartBefore(value));
  });
});

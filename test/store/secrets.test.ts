import { EncryptionKeyError, decryptSecret, encryptSecret, maskSecret } from "../../src/store/secrets";

const KEY = "a-key-of-sixteen-or-more";

describe("secrets at rest", () => {
  it("round-trips and never stores the clear text", () => {
    const sealed = encryptSecret("bot-secret-123", KEY);
    expect(sealed).not.toContain("bot-secret-123");
    expect(decryptSecret(sealed, KEY)).toBe("bot-secret-123");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same", KEY)).not.toBe(encryptSecret("same", KEY));
  });

  it("refuses to store a secret without a key", () => {
    expect(() => encryptSecret("s", undefined)).toThrow(EncryptionKeyError);
  });

  it("refuses to open a secret with another key or after tampering", () => {
    const sealed = encryptSecret("s", KEY);
    expect(() => decryptSecret(sealed, "another-key-sixteen+")).toThrow(EncryptionKeyError);
    const parts = sealed.split(".");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => decryptSecret(parts.join("."), KEY)).toThrow(EncryptionKeyError);
  });
});

describe("the masked secret the admin shows", () => {
  it("shows at most the last 4 characters, and nothing of a short secret", () => {
    expect(maskSecret("jc_live_0123456789abcdef")).toBe("••••cdef");
    expect(maskSecret("0123456789abcdef")).toBe("••••cdef");
    expect(maskSecret("0123456789abcde")).toBe("••••");
    expect(maskSecret("abcd")).toBe("••••");
    expect(maskSecret("")).toBe("••••");
    expect(maskSecret(null)).toBe("••••");
  });
});

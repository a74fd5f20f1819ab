import { describe, expect, it } from "vitest";
import { redactValue, secretForms } from "@/lib/secrets/redact";

describe("redacting stored attempts", () => {
  it("masks every form of a credential value and credential headers by name", () => {
    const secrets = secretForms(['p@ss w"rd', "tiny"]);
    const stored = redactValue(
      {
        url: "https://x/?key=p%40ss%20w%22rd",
        headers: { authorization: "Basic dTpw", "x-custom": 'p@ss w"rd' },
        body: '{"password":"p@ss w\\"rd"}',
        note: "tiny is masked too",
      },
      secrets,
    );
    expect(JSON.stringify(stored)).not.toContain("p@ss");
    expect(JSON.stringify(stored)).not.toContain("p%40ss");
    expect(stored.headers.authorization).toBe("***");
    expect(stored.note).toBe("*** is masked too");
  });

  it("ignores values too short to mask safely", () => {
    expect(redactValue({ a: "abc" }, secretForms(["ab"]))).toEqual({ a: "abc" });
  });
});

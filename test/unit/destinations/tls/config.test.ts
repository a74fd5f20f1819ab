// The `tls` object's schema: PEM-looking text only, a certificate and its key come together, a
// passphrase only with a key, unknown fields refused, verification on unless switched off; the
// key and passphrase are the sealed fields.
import { describe, expect, it } from "vitest";
import { tlsConfigSchema, tlsSecretFields } from "@/lib/destinations/tls/config";
import { tlsMaterial } from "@/scripts/brokers/tls/certs";

const material = await tlsMaterial();

function issues(input: unknown): Array<{ path: string; message: string }> {
  const parsed = tlsConfigSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

describe("tlsConfigSchema", () => {
  it("accepts a full tls object and switches verification on by default", () => {
    const parsed = tlsConfigSchema.parse({ ca: material.ca.cert, cert: material.client.cert, key: material.client.key, servername: "broker.example", alpnProtocols: ["mqtt"] });
    expect(parsed.insecureSkipVerify).toBe(false);
    expect(parsed.servername).toBe("broker.example");
  });

  it("refuses a certificate without its key, naming key", () => {
    expect(issues({ cert: material.client.cert })).toEqual([{ path: "key", message: "a client certificate needs its private key" }]);
  });

  it("refuses a key without its certificate, naming cert", () => {
    expect(issues({ key: material.client.key })).toEqual([{ path: "cert", message: "a private key needs its client certificate" }]);
  });

  it("refuses a passphrase without a key, naming passphrase", () => {
    expect(issues({ ca: material.ca.cert, passphrase: "secret" })).toEqual([{ path: "passphrase", message: "a passphrase is only used with a private key" }]);
  });

  it("refuses text that is not PEM, naming the field", () => {
    expect(issues({ ca: "MIIBszCCAVmgAwIBAgIU" })).toEqual([{ path: "ca", message: expect.stringMatching(/must be one or more certificates in PEM form/) }]);
  });

  it("refuses unknown fields and an empty ALPN list", () => {
    expect(issues({ verify: false }).map((issue) => issue.path)).toEqual([""]);
    expect(issues({ alpnProtocols: [] }).map((issue) => issue.path)).toEqual(["alpnProtocols"]);
  });

  it("seals the key and the passphrase, nothing else", () => {
    expect(tlsSecretFields.map((secret) => secret.path.join("."))).toEqual(["tls.key", "tls.passphrase"]);
  });
});

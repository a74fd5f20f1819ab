// Save-time checks of TLS material with the stand's real certificates: what parses and matches is
// accepted, and everything that could never make a connection is a 422 naming the field, without
// the key or passphrase in the message. Also the certificate summary the API and overview show.
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { TlsConfig } from "@/lib/destinations/tls/config";
import { certificateSummary, certificateWarningDays, checkTlsMaterial, splitPemBundle } from "@/lib/destinations/tls/pem";
import { tlsMaterial } from "@/scripts/brokers/tls/certs";

const material = await tlsMaterial();
const dayMs = 86_400_000;
const field = "config.tls";

const tlsOf = (config: Partial<TlsConfig>): TlsConfig => ({ insecureSkipVerify: false, ...config });
const clientTls = (pair = material.client, extra: Partial<TlsConfig> = {}) => tlsOf({ ca: material.ca.cert, cert: pair.cert, key: pair.key, ...extra });

function refusal(tls: TlsConfig, production = false, now?: number): AppError {
  try {
    checkTlsMaterial(tls, field, production, now);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("checkTlsMaterial accepted what the test expected it to refuse");
}

function expectRefused(error: AppError, expectedField: string, message: RegExp): void {
  expect({ code: error.code, status: error.status, field: error.field }).toEqual({ code: "validation_failed", status: 422, field: expectedField });
  expect(error.message).toMatch(new RegExp(`^${expectedField.replace(/[.[\]]/g, "\\$&")}: `));
  expect(error.message).toMatch(message);
}

const notACertificate = "-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";

describe("checkTlsMaterial", () => {
  it("accepts a CA, a client certificate and its key", () => {
    expect(() => checkTlsMaterial(clientTls(), field, true)).not.toThrow();
  });

  it("accepts an encrypted key with its passphrase", () => {
    const encrypted = material.clientEncrypted;
    expect(() => checkTlsMaterial(clientTls(encrypted, { passphrase: encrypted.passphrase }), field, true)).not.toThrow();
  });

  it("accepts a bundle of two CAs, and names the block that does not parse in a bundle", () => {
    const bundle = `${material.ca.cert}\n${material.otherCa.cert}`;
    expect(() => checkTlsMaterial(tlsOf({ ca: bundle }), field, true)).not.toThrow();
    expectRefused(refusal(tlsOf({ ca: `${material.ca.cert}\n${notACertificate}` })), "config.tls.ca[1]", /is not a certificate that parses/);
  });

  it("refuses a CA that does not parse, naming config.tls.ca", () => {
    expectRefused(refusal(tlsOf({ ca: notACertificate })), "config.tls.ca", /is not a certificate that parses/);
  });

  it("refuses a CA field holding no certificate at all (a key pasted in the wrong box)", () => {
    expectRefused(refusal(tlsOf({ ca: material.client.key })), "config.tls.ca", /holds no -----BEGIN CERTIFICATE----- block/);
  });

  it("refuses a client certificate that does not parse, naming config.tls.cert", () => {
    expectRefused(refusal(clientTls(material.client, { cert: notACertificate })), "config.tls.cert", /is not a certificate that parses/);
  });

  it("refuses a key that is not the certificate's, naming config.tls.key", () => {
    expectRefused(refusal(clientTls(material.client, { key: material.foreignClient.key })), "config.tls.key", /does not belong to the client certificate/);
  });

  it("refuses a key that does not parse, naming config.tls.key", () => {
    expectRefused(refusal(clientTls(material.client, { key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" })), "config.tls.key", /is not a private key that parses/);
  });

  it("refuses a wrong passphrase, naming config.tls.passphrase and not echoing it", () => {
    const error = refusal(clientTls(material.clientEncrypted, { passphrase: "wrong-passphrase-7731" }));
    expectRefused(error, "config.tls.passphrase", /does not open the private key/);
    expect(error.message).not.toContain("wrong-passphrase-7731");
  });

  it("refuses an encrypted key without a passphrase, asking for it", () => {
    expectRefused(refusal(clientTls(material.clientEncrypted)), "config.tls.passphrase", /the private key is encrypted: give its passphrase/);
  });

  it("refuses an expired client certificate, naming config.tls.cert and the date", () => {
    const expiresAt = new Date(new X509Certificate(material.expiredClient.cert).validTo).toISOString();
    expectRefused(refusal(clientTls(material.expiredClient)), "config.tls.cert", new RegExp(`expired on ${expiresAt}; renew it`));
  });

  it("accepts a certificate that expires soon, and refuses it once the day has passed", () => {
    expect(() => checkTlsMaterial(clientTls(material.soonClient), field, true)).not.toThrow();
    expectRefused(refusal(clientTls(material.soonClient), false, Date.now() + 11 * dayMs), "config.tls.cert", /expired on/);
  });

  it("refuses insecureSkipVerify in production, naming config.tls.insecureSkipVerify, and allows it in development", () => {
    const insecure = tlsOf({ insecureSkipVerify: true });
    expectRefused(refusal(insecure, true), "config.tls.insecureSkipVerify", /is refused in production/);
    expect(() => checkTlsMaterial(insecure, field, false)).not.toThrow();
  });

  it("never puts key material in a refusal", () => {
    const cases: Array<[TlsConfig, string]> = [
      [clientTls(material.client, { key: material.foreignClient.key }), material.foreignClient.key],
      [clientTls(material.expiredClient), material.expiredClient.key],
      [clientTls(material.clientEncrypted), material.clientEncrypted.key],
    ];
    for (const [tls, key] of cases) {
      const keyBody = key.split("\n")[1] ?? "";
      expect(keyBody.length).toBeGreaterThan(20);
      const { message } = refusal(tls);
      expect(message).not.toContain("PRIVATE KEY");
      expect(message).not.toContain(keyBody.slice(0, 20));
    }
  });
});

describe("certificateSummary", () => {
  const expiresAtOf = (pem: string) => Date.parse(new X509Certificate(pem).validTo);

  it("gives the subject, issuer, expiry and fingerprint of a client certificate", () => {
    const certificate = new X509Certificate(material.client.cert);
    expect(certificateSummary(material.client.cert)).toEqual({
      subject: "CN=switchyard-test-client",
      issuer: "CN=Switchyard stand ca",
      expiresAt: new Date(certificate.validTo).toISOString(),
      expiresInDays: expect.any(Number),
      fingerprint256: certificate.fingerprint256,
    });
  });

  it("counts whole days left, negative once expired", () => {
    const expiresAt = expiresAtOf(material.soonClient.cert);
    expect(certificateSummary(material.soonClient.cert, expiresAt - 10 * dayMs)?.expiresInDays).toBe(10);
    expect(certificateSummary(material.soonClient.cert, expiresAt - 10 * dayMs + 1)?.expiresInDays).toBe(9);
    expect(certificateSummary(material.soonClient.cert, expiresAt + 1)?.expiresInDays).toBe(-1);
    expect(certificateSummary(material.expiredClient.cert)?.expiresInDays).toBeLessThan(0);
  });

  it("puts the soon-expiring certificate inside the warning window and a fresh one outside", () => {
    expect(certificateSummary(material.soonClient.cert)?.expiresInDays).toBeLessThan(certificateWarningDays);
    expect(certificateSummary(material.client.cert)?.expiresInDays).toBeGreaterThan(certificateWarningDays);
  });

  it("summarises the first certificate of a chain, and nothing that does not parse", () => {
    expect(certificateSummary(`${material.client.cert}${material.ca.cert}`)?.subject).toBe("CN=switchyard-test-client");
    expect(certificateSummary(notACertificate)).toBeUndefined();
    expect(certificateSummary(material.client.key)).toBeUndefined();
  });
});

describe("splitPemBundle", () => {
  it("returns each certificate in order, ignoring text around them", () => {
    const blocks = splitPemBundle(`# corporate root\n${material.ca.cert}\nsubject=other\n${material.otherCa.cert}`);
    expect(blocks).toHaveLength(2);
    expect(new X509Certificate(blocks[0]).subject).toBe("CN=Switchyard stand ca");
    expect(new X509Certificate(blocks[1]).subject).toBe("CN=Switchyard stand other-ca");
    expect(splitPemBundle(material.client.key)).toEqual([]);
  });
});

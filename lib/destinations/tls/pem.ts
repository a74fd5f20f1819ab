// Save-time checks of a destination's TLS material, with node:crypto alone: every PEM block
// parses, the key opens (with its passphrase) and belongs to the certificate, and the client
// certificate has not expired. Also the summary the API shows (subject, expiry), never the key.
import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { TlsConfig } from "@/lib/destinations/tls/config";

/** The overview flags client certificates that expire within this many days. */
export const certificateWarningDays = 30;

const dayMs = 86_400_000;

export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** ISO 8601. */
  expiresAt: string;
  /** Whole days left (negative once expired). */
  expiresInDays: number;
  fingerprint256: string;
}

const certificateBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM bundle, in order. */
export function splitPemBundle(text: string): string[] {
  return text.match(certificateBlock) ?? [];
}

const refuse = (field: string, message: string) => new AppError("validation_failed", `${field}: ${message}`, { field });

function parseCertificate(pem: string, field: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw refuse(field, `is not a certificate that parses (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The summary of the first certificate in `pem`, or undefined when it does not parse. */
export function certificateSummary(pem: string, now = Date.now()): CertificateSummary | undefined {
  const [first] = splitPemBundle(pem);
  if (!first) return undefined;
  try {
    const certificate = new X509Certificate(first);
    const expires = new Date(certificate.validTo);
    return {
      subject: certificate.subject.replace(/\n/g, ", "),
      issuer: certificate.issuer.replace(/\n/g, ", "),
      expiresAt: expires.toISOString(),
      expiresInDays: Math.floor((expires.getTime() - now) / dayMs),
      fingerprint256: certificate.fingerprint256,
    };
  } catch {
    return undefined;
  }
}

function openKey(tls: TlsConfig, field: string): KeyObject {
  try {
    return createPrivateKey({ key: tls.key ?? "", passphrase: tls.passphrase });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/bad decrypt|passphrase|interrupted or cancelled/i.test(reason)) {
      throw refuse(`${field}.passphrase`, tls.passphrase ? "does not open the private key" : "the private key is encrypted: give its passphrase");
    }
    throw refuse(`${field}.key`, `is not a private key that parses (${reason})`);
  }
}

/**
 * 422 naming the field for anything that could never make a connection: a CA or certificate that
 * does not parse, a key that does not open or does not match, an expired client certificate, or
 * insecureSkipVerify in production. `field` is where `tls` sits, e.g. "config.tls".
 */
export function checkTlsMaterial(tls: TlsConfig, field: string, production: boolean, now = Date.now()): void {
  if (tls.insecureSkipVerify && production) {
    throw refuse(`${field}.insecureSkipVerify`, "is refused in production: certificate verification is always on there; trust a private CA with tls.ca instead");
  }
  if (tls.ca !== undefined) {
    const blocks = splitPemBundle(tls.ca);
    if (blocks.length === 0) throw refuse(`${field}.ca`, "holds no -----BEGIN CERTIFICATE----- block");
    blocks.forEach((block, index) => parseCertificate(block, blocks.length > 1 ? `${field}.ca[${index}]` : `${field}.ca`));
  }
  if (tls.cert === undefined) return;
  const [first] = splitPemBundle(tls.cert);
  if (!first) throw refuse(`${field}.cert`, "holds no -----BEGIN CERTIFICATE----- block");
  const certificate = parseCertificate(first, `${field}.cert`);
  const expires = new Date(certificate.validTo);
  if (expires.getTime() <= now) throw refuse(`${field}.cert`, `expired on ${expires.toISOString()}; renew it and paste the new one`);
  const key = openKey(tls, field);
  if (!certificate.checkPrivateKey(key)) throw refuse(`${field}.key`, "does not belong to the client certificate in tls.cert");
}

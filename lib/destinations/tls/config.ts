// The `tls` object shared by every destination kind (HTTP, MQTT over mqtts/wss, AMQP over amqps):
// a private CA, a client certificate, an SNI override and ALPN. The client key and its passphrase
// are credentials: sealed at rest like every other one and shown back only as the mask.
import { z } from "zod";
import type { SecretField } from "@/lib/destinations/secret-fields";

/** Generous for a bundle of CAs; a single certificate or key is 1–5 KB. */
const maxPemLength = 65_536;

const pemText = (what: string) =>
  z
    .string()
    .min(1)
    .max(maxPemLength)
    .refine((value) => value.includes("-----BEGIN "), `must be ${what} in PEM form (text starting with -----BEGIN …-----)`);

export const tlsConfigSchema = z
  .object({
    /** PEM bundle of the CAs to trust instead of the system's (a private broker CA). */
    ca: pemText("one or more certificates").optional(),
    /** Client certificate (PEM), for brokers and endpoints that require one (mTLS, AWS IoT Core X.509). */
    cert: pemText("a certificate").optional(),
    /** The client certificate's private key (PEM); sealed. */
    key: pemText("a private key").optional(),
    /** Passphrase of an encrypted `key`; sealed. */
    passphrase: z.string().min(1).max(1024).optional(),
    /** SNI name, also the name the server's certificate is checked against. */
    servername: z.string().min(1).max(253).optional(),
    /** ALPN protocols to offer, e.g. ["x-amzn-mqtt-ca"] for AWS IoT Core on port 443. */
    alpnProtocols: z.array(z.string().min(1).max(255)).min(1).max(8).optional(),
    /** Development only: accept any server certificate. Refused in production, recorded on every attempt. */
    insecureSkipVerify: z.boolean().default(false),
  })
  .strict()
  .superRefine((tls, issues) => {
    if (tls.cert && !tls.key) issues.addIssue({ code: "custom", path: ["key"], message: "a client certificate needs its private key" });
    if (tls.key && !tls.cert) issues.addIssue({ code: "custom", path: ["cert"], message: "a private key needs its client certificate" });
    if (tls.passphrase && !tls.key) issues.addIssue({ code: "custom", path: ["passphrase"], message: "a passphrase is only used with a private key" });
  });

export type TlsConfig = z.infer<typeof tlsConfigSchema>;

/** The credential fields under a config's `tls` object. */
export const tlsSecretFields: readonly SecretField[] = [
  { path: ["tls", "key"], kind: "value" },
  { path: ["tls", "passphrase"], kind: "value" },
];

// The TLS part of the destination forms (derived from tlsConfigSchema) and what the console says
// about a destination's client certificate and certificate checking.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { FieldSpec } from "@/lib/ui/field-spec";
import { destinationFormSpecs, insecureSkipVerifyWarning } from "@/lib/ui/form-specs";
import { noneVariant, toPayload, toRawForm, type RawForm } from "@/lib/ui/form-values";
import { describeFields } from "@/lib/ui/schema-fields";
import { certificateStatus, destinationTlsStatus, skipsVerification } from "@/lib/ui/tls-status";

const dayMs = 86_400_000;
const pem = (label: string) => `-----BEGIN ${label}-----\nMIIB\n-----END ${label}-----\n`;

function formOf(kind: string) {
  const form = destinationFormSpecs().find((item) => item.kind === kind);
  if (!form) throw new Error(`no ${kind} form`);
  return form;
}

function tlsFieldsOf(kind: string): FieldSpec[] {
  const config = formOf(kind).fields.find((field) => field.key === "config");
  const tls = config?.type === "object" ? config.fields.find((field) => field.key === "tls") : undefined;
  if (tls?.type !== "object") throw new Error(`${kind}: tls is not an object field`);
  return tls.fields;
}

const configOf = (payload: Record<string, unknown>) => payload.config as Record<string, unknown>;

describe("the tls object in the destination forms", () => {
  it.each(["http", "mqtt", "amqp"])("%s: PEM textareas in monospace, the key and passphrase as secrets, ALPN as a list, the skip switch with its warning", (kind) => {
    const fields = Object.fromEntries(tlsFieldsOf(kind).map((field) => [field.key, field]));
    expect(fields.ca).toMatchObject({ type: "text", label: "CA certificates (PEM)", multiline: true, monospace: true, secret: false });
    expect(fields.cert).toMatchObject({ type: "text", label: "Client certificate (PEM)", multiline: true, monospace: true, secret: false });
    expect(fields.key).toMatchObject({ type: "text", label: "Client private key (PEM)", multiline: true, monospace: true, secret: true });
    expect(fields.passphrase).toMatchObject({ type: "text", multiline: false, secret: true });
    expect(fields.servername).toMatchObject({ type: "text", label: "Server name (SNI)", secret: false });
    expect(fields.alpnProtocols).toMatchObject({ type: "list", label: "ALPN protocols" });
    expect(fields.insecureSkipVerify).toMatchObject({ type: "boolean", default: false, warning: insecureSkipVerifyWarning });
    expect(insecureSkipVerifyWarning).toMatch(/development only.*not checked.*refused in production/i);
  });

  it("sends no tls object when nothing in it is filled in, and removes a stored one when all of it is cleared on edit", () => {
    const { fields } = formOf("mqtt");
    const created = toPayload(fields, toRawForm(fields, { name: "plain", config: { url: "mqtt://broker.example:1883" } }), "create");
    expect(configOf(created)).not.toHaveProperty("tls");

    const stored = { name: "tls", config: { url: "mqtts://broker.example", tls: { ca: pem("CERTIFICATE"), insecureSkipVerify: false } } };
    const raw = toRawForm(fields, stored);
    ((raw.config as RawForm).tls as RawForm).ca = "";
    expect(configOf(toPayload(fields, raw, "edit")).tls).toBeNull();
  });

  it("keeps a stored key and passphrase as the mask (unchanged) on an unrelated edit, and the list as an array", () => {
    const { fields } = formOf("mqtt");
    const tls = { ca: pem("CERTIFICATE"), cert: pem("CERTIFICATE"), key: "***", passphrase: "***", alpnProtocols: ["x-amzn-mqtt-ca", "mqtt"], insecureSkipVerify: false };
    const raw = toRawForm(fields, { name: "iot", config: { url: "mqtts://broker.example:443", tls } });
    expect(((raw.config as RawForm).tls as RawForm).alpnProtocols).toBe("x-amzn-mqtt-ca, mqtt");
    (raw.config as RawForm).topic = "devices/changed";
    expect(configOf(toPayload(fields, raw, "edit"))).toMatchObject({ topic: "devices/changed", tls });
  });

  it("reads a comma- or line-separated ALPN list, dropping blanks", () => {
    const { fields } = formOf("amqp");
    const raw = toRawForm(fields, { name: "q", config: { url: "amqps://broker.example" } });
    ((raw.config as RawForm).tls as RawForm).alpnProtocols = " h2,\nhttp/1.1 ,, ";
    expect(configOf(toPayload(fields, raw, "create")).tls).toEqual({ alpnProtocols: ["h2", "http/1.1"], insecureSkipVerify: false });
  });

  it("sends insecureSkipVerify: true once it is ticked, even with nothing else set", () => {
    const { fields } = formOf("http");
    const raw = toRawForm(fields, { name: "dev", config: { url: "https://dev.example" } });
    ((raw.config as RawForm).tls as RawForm).insecureSkipVerify = true;
    expect(configOf(toPayload(fields, raw, "create")).tls).toEqual({ insecureSkipVerify: true });
  });
});

describe("the cloud sign-ins in the destination forms", () => {
  function variantFields(kind: string, variant: string): Record<string, FieldSpec> {
    const config = formOf(kind).fields.find((field) => field.key === "config");
    const auth = config?.type === "object" ? config.fields.find((field) => field.key === "auth") : undefined;
    const fields = auth?.type === "union" ? auth.variants.find((item) => item.value === variant)?.fields : undefined;
    if (!fields) throw new Error(`${kind}: no auth variant ${variant}`);
    return Object.fromEntries(fields.map((field) => [field.key, field]));
  }

  it("renders every sign-in secret as a password input, and the names beside them as text", () => {
    for (const kind of ["http", "mqtt"]) {
      const aws = variantFields(kind, "aws_sigv4");
      expect(aws.secretAccessKey, kind).toMatchObject({ type: "text", secret: true, multiline: false });
      expect(aws.sessionToken, kind).toMatchObject({ type: "text", secret: true, required: false });
      expect(aws.accessKeyId, kind).toMatchObject({ type: "text", secret: false });
    }
    expect(variantFields("mqtt", "azure_sas").deviceKey).toMatchObject({ type: "text", secret: true });
    expect(variantFields("mqtt", "azure_sas").deviceId).toMatchObject({ type: "text", secret: false });
  });
});

describe("an optional sign-in (a union without a default, like MQTT's config.auth)", () => {
  const schema = z.object({
    config: z.object({
      url: z.string(),
      auth: z.discriminatedUnion("type", [z.object({ type: z.literal("aws_sigv4"), region: z.string() }), z.object({ type: z.literal("azure_sas"), deviceId: z.string() })]).optional(),
    }),
  });
  const fields = describeFields(schema);

  it("starts at none and leaves it out, instead of forcing the first variant on every destination", () => {
    const raw = toRawForm(fields, { config: { url: "mqtt://h" } });
    expect(((raw.config as RawForm).auth as RawForm).type).toBe(noneVariant);
    expect(configOf(toPayload(fields, raw, "create"))).toEqual({ url: "mqtt://h" });
    expect(configOf(toPayload(fields, raw, "edit")).auth).toBeNull();
  });

  it("sends the chosen variant with its fields", () => {
    const raw = toRawForm(fields, { config: { url: "wss://h", auth: { type: "azure_sas", deviceId: "dev-1" } } });
    expect(configOf(toPayload(fields, raw, "edit")).auth).toEqual({ type: "azure_sas", deviceId: "dev-1" });
  });
});

describe("what the console says about TLS", () => {
  const now = Date.parse("2026-12-07T00:00:00Z");
  const at = (days: number) => new Date(now + days * dayMs).toISOString();

  it("warns from 30 days before expiry, and says when it has expired", () => {
    expect(certificateStatus({ subject: "CN=a", expiresAt: at(200) }, now)).toMatchObject({ warning: null, expiry: "expires in 200 days" });
    expect(certificateStatus({ subject: "CN=a", expiresAt: at(31) }, now).warning).toBeNull();
    expect(certificateStatus({ subject: "CN=a", expiresAt: at(30) }, now)).toMatchObject({ warning: "expiring", expiry: "expires in 30 days" });
    expect(certificateStatus({ subject: "CN=a", expiresAt: at(10.5) }, now)).toMatchObject({ warning: "expiring", expiry: "expires in 10 days" });
    expect(certificateStatus({ subject: "CN=a", expiresAt: at(-3) }, now)).toMatchObject({ warning: "expired", expiry: "expired 3 days ago" });
  });

  it("flags insecureSkipVerify only when it is true, in a config or a recorded request", () => {
    expect(skipsVerification({ tls: { insecureSkipVerify: true } })).toBe(true);
    expect(skipsVerification({ tls: { insecureSkipVerify: false } })).toBe(false);
    expect(skipsVerification({ tls: { insecureSkipVerify: "true" } })).toBe(false);
    expect(skipsVerification({ url: "mqtts://x" })).toBe(false);
    expect(skipsVerification(null)).toBe(false);
    const summary = { subject: "CN=device", issuer: "CN=ca", expiresAt: at(5), expiresInDays: 5, fingerprint256: "AA" };
    expect(destinationTlsStatus({ config: { tls: { insecureSkipVerify: true } }, clientCertificate: summary }, now)).toMatchObject({
      insecureSkipVerify: true,
      certificate: { subject: "CN=device", warning: "expiring" },
    });
    expect(destinationTlsStatus({ config: {} }, now)).toEqual({ certificate: null, insecureSkipVerify: false });
  });
});

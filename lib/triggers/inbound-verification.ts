// Optional inbound HMAC verification per callback (Standard Webhooks, GitHub, Stripe, Slack, Meta,
// Zoom, generic), over the raw body bytes, with constant-time comparison. A callback without
// inboundAuth pays one null check; a failure is a 401 before anything is published.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { Webhook } from "standardwebhooks";
import { decryptSecret } from "@/lib/crypto/encryption";
import { AppError } from "@/lib/errors";
import type { InboundHeaders } from "@/lib/http/inbound";
import { log } from "@/lib/log";
import { storedInboundAuthSchema, type StoredInboundAuth } from "@/lib/callbacks/inbound-auth";
import type { TriggerConfig } from "@/lib/triggers/callback-cache";
import { jsonBodyAs } from "@/lib/triggers/json-body";

type Verdict = { ok: true } | { ok: false; reason: string };
const pass: Verdict = { ok: true };
const refuse = (reason: string): Verdict => ({ ok: false, reason });

function sameBytes(expected: Buffer, presented: Buffer): boolean {
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}

function hmac(algorithm: string, secret: string, ...parts: Uint8Array[]): Buffer {
  const mac = createHmac(algorithm, secret);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

function decodeDigest(text: string, encoding: "hex" | "base64"): Buffer | undefined {
  if (encoding === "hex") return /^(?:[0-9a-fA-F]{2})+$/.test(text) ? Buffer.from(text, "hex") : undefined;
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, "base64") : undefined;
}

function verifyHmacHeader(headers: InboundHeaders, body: Uint8Array, secret: string, options: { header: string; algorithm: string; encoding: "hex" | "base64"; prefix: string }): Verdict {
  const invalid = refuse(`Missing or invalid ${options.header} signature`);
  const value = headers.get(options.header)?.trim();
  if (!value || !value.startsWith(options.prefix)) return invalid;
  const presented = decodeDigest(value.slice(options.prefix.length), options.encoding);
  return presented && sameBytes(hmac(options.algorithm, secret, body), presented) ? pass : invalid;
}

function parseStripeHeader(value: string): { timestamp: number; signatures: string[] } | undefined {
  const pairs = value.split(",").map((item) => item.trim().split("="));
  const timestamp = Number(pairs.find(([key]) => key === "t")?.[1]);
  const signatures = pairs.filter(([key, digest]) => key === "v1" && digest).map(([, digest]) => digest ?? "");
  return Number.isInteger(timestamp) && signatures.length > 0 ? { timestamp, signatures } : undefined;
}

function verifyStripe(headers: InboundHeaders, body: Uint8Array, secret: string, toleranceSeconds: number): Verdict {
  const parsed = parseStripeHeader(headers.get("stripe-signature") ?? "");
  if (!parsed) return refuse("Missing or invalid Stripe-Signature header");
  if (Math.abs(Date.now() / 1000 - parsed.timestamp) > toleranceSeconds) {
    return refuse(`Stripe-Signature timestamp is outside the ${toleranceSeconds} s tolerance`);
  }
  const expected = hmac("sha256", secret, Buffer.from(`${parsed.timestamp}.`), body);
  const matches = parsed.signatures.some((signature) => {
    const presented = decodeDigest(signature, "hex");
    return presented !== undefined && sameBytes(expected, presented);
  });
  return matches ? pass : refuse("Stripe-Signature does not match");
}

interface TimestampedOptions {
  /** Named in refusals, e.g. "X-Slack-Signature". */
  signatureHeader: string;
  timestampHeader: string;
  /** Only where the provider documents a window (Slack: 5 minutes). */
  toleranceSeconds?: number;
}

/** Slack and Zoom: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. */
function verifyTimestampedV0(headers: InboundHeaders, body: Uint8Array, secret: string, options: TimestampedOptions): Verdict {
  const invalid = refuse(`Missing or invalid ${options.signatureHeader} signature`);
  const timestamp = headers.get(options.timestampHeader)?.trim() ?? "";
  const value = headers.get(options.signatureHeader)?.trim() ?? "";
  if (!/^\d{1,16}$/.test(timestamp) || !value.startsWith("v0=")) return invalid;
  const { toleranceSeconds } = options;
  if (toleranceSeconds !== undefined && Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) {
    return refuse(`${options.timestampHeader} is outside the ${toleranceSeconds} s tolerance`);
  }
  const presented = decodeDigest(value.slice(3), "hex");
  return presented && sameBytes(hmac("sha256", secret, Buffer.from(`v0:${timestamp}:`), body), presented) ? pass : invalid;
}

function verifyStandardWebhooks(headers: InboundHeaders, body: Uint8Array, secret: string): Verdict {
  const names = ["webhook-id", "webhook-timestamp", "webhook-signature"];
  const presented = Object.fromEntries(names.map((name) => [name, headers.get(name) ?? ""]));
  try {
    new Webhook(secret).verify(Buffer.from(body), presented, { jsonParse: false });
    return pass;
  } catch {
    return refuse("Missing or invalid Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature)");
  }
}

function verifyPreset(auth: StoredInboundAuth, headers: InboundHeaders, body: Uint8Array, secret: string): Verdict {
  switch (auth.type) {
    case "standard_webhooks":
      return verifyStandardWebhooks(headers, body, secret);
    case "github":
      return verifyHmacHeader(headers, body, secret, { header: "X-Hub-Signature-256", algorithm: "sha256", encoding: "hex", prefix: "sha256=" });
    case "stripe":
      return verifyStripe(headers, body, secret, auth.toleranceSeconds);
    case "hmac":
      return verifyHmacHeader(headers, body, secret, auth);
    case "slack":
      return verifyTimestampedV0(headers, body, secret, { signatureHeader: "X-Slack-Signature", timestampHeader: "X-Slack-Request-Timestamp", toleranceSeconds: auth.toleranceSeconds });
    case "meta":
      return verifyHmacHeader(headers, body, secret, { header: "X-Hub-Signature-256", algorithm: "sha256", encoding: "hex", prefix: "sha256=" });
    case "zoom":
      return verifyTimestampedV0(headers, body, secret, { signatureHeader: "x-zm-signature", timestampHeader: "x-zm-request-timestamp" });
  }
}

/** The sender's own id for this delivery, which its retries repeat: the key to drop them by. */
export interface ProviderDeliveryId {
  /** Keeps providers' ids apart in the idempotency store. */
  scope: string;
  /** Where the id came from, named when a reused id carries another body. */
  source: string;
  id: string;
}

const stripeEventSchema = z.object({ id: z.string().min(1).max(255) });
/** Slack's Events API envelope: event_id is unique per event and repeated on retries. */
const slackEventSchema = z.object({ event_id: z.string().min(1).max(255) });

function providerDeliveryId(auth: StoredInboundAuth, headers: InboundHeaders, body: Uint8Array): ProviderDeliveryId | undefined {
  const found = (scope: string, source: string, id: string | null | undefined) => (id ? { scope, source, id } : undefined);
  switch (auth.type) {
    case "github":
      return found("github", "X-GitHub-Delivery", headers.get("x-github-delivery"));
    case "standard_webhooks":
      return found("standard-webhooks", "webhook-id", headers.get("webhook-id"));
    case "stripe":
      return found("stripe", "body.id", jsonBodyAs(stripeEventSchema, body)?.id);
    case "slack":
      // Slash commands and interactions carry no id (X-Slack-Retry-Num counts retries, it names nothing).
      return found("slack", "body.event_id", jsonBodyAs(slackEventSchema, body)?.event_id);
    case "hmac":
    case "meta":
    case "zoom":
      return undefined;
  }
}

/**
 * 401 unless the callback's inbound preset verifies; then the provider's delivery id, if its
 * preset has one. The id is read only after verification, so an unsigned request cannot use it.
 */
export async function verifyInboundSignature(config: TriggerConfig, headers: InboundHeaders, body: Uint8Array): Promise<ProviderDeliveryId | undefined> {
  if (config.inboundAuth === null || config.inboundAuth === undefined) return undefined;
  const auth = storedInboundAuthSchema.safeParse(config.inboundAuth);
  if (!auth.success || !config.inboundSecretEnc) {
    // Fail closed: a callback that asked for verification must not start accepting anything.
    log.error("inbound auth of a callback is unreadable", { callbackId: config.id });
    throw new AppError("invalid_signature", "Inbound signature verification is misconfigured for this callback");
  }
  const verdict = verifyPreset(auth.data, headers, body, decryptSecret(config.inboundSecretEnc));
  if (!verdict.ok) throw new AppError("invalid_signature", verdict.reason);
  return providerDeliveryId(auth.data, headers, body);
}

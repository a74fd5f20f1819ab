// Optional inbound HMAC verification per callback (Standard Webhooks, GitHub, Stripe, generic).
import type { TriggerConfig } from "@/lib/triggers/callback-cache";

export async function verifyInboundSignature(_config: TriggerConfig, _headers: Headers, _body: Uint8Array): Promise<void> {
  // Presets arrive with the HTTP destinations work; until then no callback can configure one.
}

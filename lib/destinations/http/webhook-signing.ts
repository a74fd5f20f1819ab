// Standard Webhooks signatures on outgoing requests, computed by the official package so any
// receiver using a Standard Webhooks verifier accepts them. `webhook-id` is the delivery id, the
// same on every retry, so receivers can drop duplicates; the timestamp is per attempt.
import { Webhook } from "standardwebhooks";

export interface SignatureInput {
  /** whsec_… */
  secret: string;
  deliveryId: string;
  body: string | undefined;
  now?: Date;
  /** Defaults to the standard `webhook-signature`. */
  signatureHeader?: string;
}

export function signingHeaders(input: SignatureInput): Record<string, string> {
  const now = input.now ?? new Date();
  const signature = new Webhook(input.secret).sign(input.deliveryId, now, input.body ?? "");
  return {
    "webhook-id": input.deliveryId,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    [(input.signatureHeader ?? "webhook-signature").toLowerCase()]: signature,
  };
}

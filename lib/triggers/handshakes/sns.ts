// AWS SNS over HTTPS: every POST must be a genuinely signed SNS message (401 otherwise). A
// SubscriptionConfirmation is confirmed by visiting its SubscribeURL and an UnsubscribeConfirmation
// is only recorded, both answered here; a Notification goes on to the destinations, its text at
// {body.Message}, with its MessageId (repeated on SNS's retries) as the idempotency key.
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { confirmSubscription, snsUrl } from "@/lib/triggers/handshakes/sns-fetch";
import { snsMessageSchema, snsSignatureProblem } from "@/lib/triggers/handshakes/sns-message";
import { jsonBodyAs } from "@/lib/triggers/json-body";
import { passOn, type HandshakeOutcome, type HandshakePreset } from "@/lib/triggers/handshakes/types";

const acknowledged: HandshakeOutcome = { kind: "answer", reply: { status: 200, headers: { "cache-control": "no-store" }, body: null } };

async function confirm(subscribeUrl: string | undefined): Promise<HandshakeOutcome> {
  const url = snsUrl(subscribeUrl ?? "");
  if (!url) throw new AppError("bad_request", "SubscribeURL must be an https URL on sns.<region>.amazonaws.com");
  try {
    await confirmSubscription(url);
  } catch (error) {
    log.warn("SNS subscription confirmation failed", { host: url.hostname, error });
    throw new AppError("service_unavailable", "Could not confirm the SNS subscription; SNS may resend the confirmation", { headers: { "retry-after": "30" } });
  }
  return acknowledged;
}

export const snsHandshake: HandshakePreset = {
  signed: false,
  async check({ request, bodyBytes }) {
    if (request.method !== "POST") return passOn;
    const message = jsonBodyAs(snsMessageSchema, bodyBytes);
    if (!message) throw new AppError("invalid_signature", "Not a signed SNS message (Type, MessageId, Signature, SigningCertURL …)");
    const problem = await snsSignatureProblem(message);
    if (problem) throw new AppError("invalid_signature", problem);
    switch (message.Type) {
      case "Notification":
        return { kind: "pass", provider: { scope: "sns", source: "MessageId", id: message.MessageId } };
      case "SubscriptionConfirmation":
        return confirm(message.SubscribeURL);
      case "UnsubscribeConfirmation":
        return acknowledged;
    }
  },
};

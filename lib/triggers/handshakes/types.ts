// What every handshake preset implements: look at a request, and either answer it in full (the
// provider's verification request) or pass it on to the normal trigger path.
import type { InboundRequest } from "@/lib/http/inbound";
import type { Reply } from "@/lib/http/reply";
import type { ProviderDeliveryId } from "@/lib/triggers/inbound-verification";

export interface HandshakeInput {
  request: InboundRequest;
  bodyBytes: Uint8Array;
  /** The preset's secret (Meta's verify token, Zoom's secret token, X's consumer secret), decrypted on use. */
  secret(): string;
}

export type HandshakeOutcome = { kind: "answer"; reply: Reply } | { kind: "pass"; provider?: ProviderDeliveryId };

export interface HandshakePreset {
  /**
   * True when the provider signs its verification request with the same signature as its
   * events (Slack, Zoom): the preset then runs after the inbound signature check, so an unsigned
   * request is a 401 before anything is answered. Unsigned verification requests (Meta's token
   * GET, X's CRC, Graph, Dropbox) and SNS (which carries its own signature) run before it.
   */
  signed: boolean;
  /** Query parameters that carry the secret itself (Meta's hub.verify_token): masked in the recorded event. */
  secretQuery?: readonly string[];
  check(input: HandshakeInput): HandshakeOutcome | Promise<HandshakeOutcome>;
}

export const passOn: HandshakeOutcome = { kind: "pass" };

/** 200 with `text` as text/plain; nosniff, since the text is the sender's own (reflected) input. */
export function textAnswer(text: string): HandshakeOutcome {
  return {
    kind: "answer",
    reply: { status: 200, headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff", "cache-control": "no-store" }, body: text },
  };
}

export function jsonAnswer(data: unknown): HandshakeOutcome {
  return { kind: "answer", reply: { status: 200, headers: { "content-type": "application/json", "cache-control": "no-store" }, body: JSON.stringify(data) } };
}

// Runs a callback's handshake preset around the inbound signature check. A verification request
// is answered in full here, recorded as an event of kind "handshake" and never fanned out; it is
// answered before the idempotency claim, so it consumes none, and counts toward the callback's
// rate limit like any request. Everything
// else goes on to the trigger path with the provider's delivery id, if any.
import { getDb } from "@/lib/db";
import { insertEventIfAbsent } from "@/lib/db/queries/delivery-path";
import { decryptSecret } from "@/lib/crypto/encryption";
import { eventRowOf } from "@/lib/deliveries/job-rows";
import type { CapturedRequest } from "@/lib/deliveries/job";
import { AppError } from "@/lib/errors";
import type { InboundRequest } from "@/lib/http/inbound";
import type { Reply } from "@/lib/http/reply";
import { uuidv7 } from "@/lib/ids";
import { assertWithinLimit, limitTrigger } from "@/lib/ratelimit";
import { log, redactedValue } from "@/lib/log";
import { storedHandshakeType, type HandshakeType } from "@/lib/callbacks/handshake";
import type { TriggerConfig } from "@/lib/triggers/callback-cache";
import { verifyInboundSignature, type ProviderDeliveryId } from "@/lib/triggers/inbound-verification";
import { dropboxHandshake } from "@/lib/triggers/handshakes/dropbox";
import { metaHandshake } from "@/lib/triggers/handshakes/meta";
import { microsoftGraphHandshake } from "@/lib/triggers/handshakes/microsoft-graph";
import { slackHandshake } from "@/lib/triggers/handshakes/slack";
import { snsHandshake } from "@/lib/triggers/handshakes/sns";
import type { HandshakeInput, HandshakeOutcome, HandshakePreset } from "@/lib/triggers/handshakes/types";
import { xHandshake } from "@/lib/triggers/handshakes/x";
import { zoomHandshake } from "@/lib/triggers/handshakes/zoom";

const presets: Record<HandshakeType, HandshakePreset> = {
  slack: slackHandshake,
  meta: metaHandshake,
  zoom: zoomHandshake,
  x: xHandshake,
  microsoft_graph: microsoftGraphHandshake,
  dropbox: dropboxHandshake,
  sns: snsHandshake,
};

export type HandshakeCheck = { answered: Reply } | { answered?: undefined; provider: ProviderDeliveryId | undefined };

/** The request as recorded: a secret the provider sends back in the query (Meta's verify token) is masked. */
function withoutSecrets(request: CapturedRequest, secretQuery: readonly string[] = []): CapturedRequest {
  const query = Object.fromEntries(Object.entries(request.query).map(([name, value]) => [name, secretQuery.includes(name) ? redactedValue : value]));
  return { ...request, query };
}

/** The handshake event is the operator's record; a failure to write it must not fail the provider's check. */
async function recordHandshake(callbackId: string, request: CapturedRequest): Promise<void> {
  try {
    await insertEventIfAbsent(getDb(), { ...eventRowOf({ eventId: uuidv7(), callbackId, request }), kind: "handshake" });
  } catch (error) {
    log.error("could not record a handshake event", { callbackId, error });
  }
}

/**
 * A verification request skips the idempotency claim but not the callback's rate limit: several
 * presets' requests are unsigned (X, Microsoft Graph, Dropbox), and each answered one writes an
 * event row, so without it anyone holding the URL could write rows past the limit set for it.
 */
async function assertHandshakeWithinLimit(config: TriggerConfig): Promise<void> {
  if (!config.rateLimitPerMinute) return;
  assertWithinLimit(await limitTrigger(config.id, config.rateLimitPerMinute));
}

function inputOf(config: TriggerConfig, request: InboundRequest, bodyBytes: Uint8Array): HandshakeInput {
  return {
    request,
    bodyBytes,
    secret: () => {
      if (!config.handshakeSecretEnc) throw new AppError("forbidden", "This callback's handshake has no secret configured");
      return decryptSecret(config.handshakeSecretEnc);
    },
  };
}

/**
 * The inbound signature check (`verifyInboundSignature`) with the callback's handshake around it:
 * unsigned verification requests are answered before it, signed ones (Slack, Zoom) after it.
 */
export async function checkHandshake(config: TriggerConfig, request: InboundRequest, bodyBytes: Uint8Array, capture: () => CapturedRequest): Promise<HandshakeCheck> {
  // The common case (no handshake) costs one null check, as inboundAuth does.
  if (config.handshake === null || config.handshake === undefined) return { provider: await verifyInboundSignature(config, request.headers, bodyBytes) };
  const type = storedHandshakeType(config.handshake);
  const preset = type ? presets[type] : undefined;
  if (!preset) {
    // Fail closed, as inboundAuth does: an SNS callback must not start taking unsigned messages.
    log.error("the handshake of a callback is unreadable", { callbackId: config.id });
    throw new AppError("invalid_signature", "The verification handshake of this callback is misconfigured");
  }
  const input = inputOf(config, request, bodyBytes);
  const answer = async (outcome: HandshakeOutcome): Promise<HandshakeCheck | undefined> => {
    if (outcome.kind === "pass") return undefined;
    await assertHandshakeWithinLimit(config);
    await recordHandshake(config.id, withoutSecrets(capture(), preset.secretQuery));
    return { answered: outcome.reply };
  };
  let early: HandshakeOutcome | undefined;
  if (!preset.signed) {
    early = await preset.check(input);
    const answered = await answer(early);
    if (answered) return answered;
  }
  const provider = await verifyInboundSignature(config, request.headers, bodyBytes);
  if (preset.signed) {
    const answered = await answer(await preset.check(input));
    if (answered) return answered;
  }
  return { provider: provider ?? (early?.kind === "pass" ? early.provider : undefined) };
}

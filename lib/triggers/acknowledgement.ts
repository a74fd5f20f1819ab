// What a trigger answers: 202 with the JSON answer, or the callback's custom acknowledgement
// rendered over the request and the trigger's ids. An idempotent replay renders the same
// acknowledgement over the first answer, so a retrying sender sees what it saw the first time.
import { z } from "zod";
import { acknowledgementBodyMode, answerSafetyHeaders } from "@/lib/callbacks/acknowledgement-input";
import type { CapturedRequest } from "@/lib/deliveries/job";
import { jsonReply, type Reply } from "@/lib/http/reply";
import { uuidv7 } from "@/lib/ids";
import { log } from "@/lib/log";
import { renderTemplate, type TemplateContext } from "@/lib/templates";

// Checked in full when saved (lib/callbacks/acknowledgement-input.ts); read back leniently.
const storedAcknowledgementSchema = z.object({
  status: z.number().int(),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
});

export interface Acknowledgement {
  response: z.infer<typeof storedAcknowledgementSchema>;
  callbackId: string;
  capture: () => CapturedRequest;
}

/** What acceptTrigger adds to its answer: the callback's acknowledgement, if it has one. */
export function acknowledgementOf(config: { id: string; response?: unknown }, capture: () => CapturedRequest): { acknowledgement?: Acknowledgement } {
  if (config.response === null || config.response === undefined) return {};
  const parsed = storedAcknowledgementSchema.safeParse(config.response);
  if (!parsed.success) {
    log.error("a callback's acknowledgement is unreadable; answering 202", { callbackId: config.id });
    return {};
  }
  return { acknowledgement: { response: parsed.data, callbackId: config.id, capture } };
}

interface AnsweredTrigger {
  eventId: string;
  deliveries: ReadonlyArray<{ id: string }>;
}

function contextOf(ack: Acknowledgement, answered: AnsweredTrigger): TemplateContext {
  const request = ack.capture();
  return {
    event: { ...request, id: answered.eventId, callbackId: ack.callbackId },
    deliveryId: "",
    deliveryIds: answered.deliveries.map((delivery) => delivery.id),
    destinationId: "",
    attempt: 0,
    vars: {},
    env: () => undefined,
    secrets: {},
    now: new Date(),
    uuid: uuidv7,
  };
}

function render(ack: Acknowledgement, answered: AnsweredTrigger): { headers: Record<string, string>; body: string | null } {
  const { response } = ack;
  const context = contextOf(ack, answered);
  const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), renderTemplate(value, "header", context)]));
  if (response.status === 204 || response.body === undefined) return { headers, body: null };
  const { mode, contentType } = acknowledgementBodyMode(response.headers, response.body);
  return { headers: { "content-type": contentType, ...headers }, body: renderTemplate(response.body, mode, context) };
}

/** The reply for an accepted (or replayed) trigger. */
export function acknowledge(answered: AnsweredTrigger, headers: Record<string, string>, ack: Acknowledgement | undefined): Reply {
  if (!ack) return jsonReply(answered, 202, headers);
  const { status } = ack.response;
  try {
    const rendered = render(ack, answered);
    return { status, headers: { "cache-control": "no-store", ...rendered.headers, ...headers, ...answerSafetyHeaders }, body: rendered.body };
  } catch (error) {
    // The trigger is already published: a sender must not be told to retry it. The status stands.
    log.warn("a callback's acknowledgement could not be rendered for this request; answering without a body", { callbackId: ack.callbackId, error });
    return { status, headers: { "cache-control": "no-store", ...headers, ...answerSafetyHeaders }, body: null };
  }
}

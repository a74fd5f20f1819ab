// The send side of each destination kind. Adding a kind: its config in kinds.ts, its sender here.
import type { DestinationKind } from "@/lib/db/schema";
import type { DestinationConfig } from "@/lib/destinations/kinds";
import type { DeliveryOutcome, SendContext, Sender } from "@/lib/destinations/types";
import { log } from "@/lib/log";
import { sendHttp } from "@/lib/destinations/http/send-http";
import { sendMqtt } from "@/lib/destinations/mqtt/send-mqtt";
import { sendAmqp } from "@/lib/destinations/amqp/send-amqp";

const senders: Partial<Record<DestinationKind, Sender<never>>> = {
  http: sendHttp,
  mqtt: sendMqtt,
  amqp: sendAmqp,
};

function senderFor(kind: DestinationKind): Sender<DestinationConfig> | undefined {
  return senders[kind] as Sender<DestinationConfig> | undefined;
}

/**
 * One attempt through the kind's sender. The context is built inside the guard: a sender bug (or
 * a context that cannot be built) must become a recorded, retryable failure, never a crashed
 * function. `about` names the attempt in the log line.
 */
export async function sendAttempt(kind: DestinationKind, target: string, buildContext: () => SendContext<DestinationConfig>, about: Record<string, unknown>): Promise<DeliveryOutcome> {
  const sender = senderFor(kind);
  if (!sender) return { result: "permanent", error: `No sender for kind ${kind}`, target, request: {}, durationMs: 0 };
  try {
    return await sender(buildContext());
  } catch (error) {
    log.error("sender threw", { kind, ...about, error });
    return { result: "retryable", error: `Unexpected error: ${error instanceof Error ? error.message : "unknown"}`, target, request: {}, durationMs: 0 };
  }
}

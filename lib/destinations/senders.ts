// The send side of each destination kind. Adding a kind: its config in kinds.ts, its sender here.
import type { DestinationKind } from "@/lib/db/schema";
import type { DestinationConfig } from "@/lib/destinations/kinds";
import type { Sender } from "@/lib/destinations/types";
import { sendHttp } from "@/lib/destinations/http/send-http";
import { sendMqtt } from "@/lib/destinations/mqtt/send-mqtt";
import { sendAmqp } from "@/lib/destinations/amqp/send-amqp";

const senders: Partial<Record<DestinationKind, Sender<never>>> = {
  http: sendHttp as Sender<never>,
  mqtt: sendMqtt as Sender<never>,
  amqp: sendAmqp as Sender<never>,
};

export function senderFor(kind: DestinationKind): Sender<DestinationConfig> | undefined {
  return senders[kind] as Sender<DestinationConfig> | undefined;
}

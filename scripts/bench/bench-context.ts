// The broker benchmarks' SendContext and payload: the broker tests' builder with a fixed order
// body, so sender and baseline publish the same bytes.
import type { DeliveryJob } from "@/lib/deliveries/job";
import { defaultEnvelope } from "@/lib/deliveries/envelope";
import type { SendContext } from "@/lib/destinations/types";
import { deliveryJob, sendContext } from "../lib/send-context";

const benchBody = JSON.stringify({ event: "order.created", order: { id: 4242, items: 3, total: "99.90" } });

const benchJob = (kind: DeliveryJob["kind"]) => deliveryJob(kind, { body: benchBody, path: "/api/trigger/bench" });

export function benchContext<C>(config: C, kind: DeliveryJob["kind"]): SendContext<C> {
  return sendContext(config, benchJob(kind));
}

/** The payload the baselines publish: the same envelope sendMqtt/sendAmqp send by default. */
export function benchPayload(): string {
  return JSON.stringify(defaultEnvelope(benchJob("mqtt")));
}

// The two QStash-facing handlers, as values the route files export.
import { json } from "@/lib/http/responses";
import { log } from "@/lib/log";
import { deliverPath, failurePath } from "@/lib/qstash";
import { withQstash } from "@/lib/qstash/with-qstash";
import { parseFailureCallback } from "@/lib/deliveries/failure-callback";
import { markDeliveryExhausted, runDelivery } from "@/lib/deliveries/run-delivery";

export const deliverHandler = withQstash(deliverPath, async (input) => {
  const answer = await runDelivery(input);
  return json(answer.body, { status: answer.status, headers: answer.headers });
});

export const failureHandler = withQstash(failurePath, async ({ rawBody }) => {
  const report = parseFailureCallback(rawBody);
  if (!report) {
    log.error("Unreadable QStash failure callback");
    return json({ error: "unreadable failure callback" }, { status: 489, headers: { "upstash-nonretryable-error": "true" } });
  }
  const marked = await markDeliveryExhausted(report.job, report.lastError, report.messageId);
  return json({ deliveryId: report.job.deliveryId, status: marked ? "dead" : "unchanged" });
});

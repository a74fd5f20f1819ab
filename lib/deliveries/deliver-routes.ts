// The two QStash-facing delivery handlers, as values the route files export.
import { jsonReply } from "@/lib/http/reply";
import { log } from "@/lib/log";
import { deliverPath, failurePath } from "@/lib/qstash";
import { withQstash } from "@/lib/qstash/with-qstash";
import { permanentAnswer, qstashReply } from "@/lib/qstash/answer";
import { parseFailureCallback } from "@/lib/deliveries/failure-callback";
import { markDeliveryExhausted, runDelivery } from "@/lib/deliveries/run-delivery";

export const deliverHandler = withQstash(deliverPath, async (input) => {
  const answer = await runDelivery(input);
  return qstashReply(answer);
});

export const failureHandler = withQstash(failurePath, async ({ rawBody }) => {
  const report = parseFailureCallback(rawBody);
  if (!report) {
    log.error("Unreadable QStash failure callback");
    return qstashReply(permanentAnswer({ error: "unreadable failure callback" }));
  }
  const marked = await markDeliveryExhausted(report.job, report.lastError, report.messageId);
  return jsonReply({ deliveryId: report.job.deliveryId, status: marked ? "dead" : "unchanged" });
});

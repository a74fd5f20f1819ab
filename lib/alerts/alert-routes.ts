// The QStash-facing alert handlers, as values the route files export.
import { jsonReply } from "@/lib/http/reply";
import { log } from "@/lib/log";
import { withQstash } from "@/lib/qstash/with-qstash";
import { permanentAnswer, qstashReply } from "@/lib/qstash/answer";
import { deliverAlert, markAlertExhausted } from "@/lib/alerts/deliver-alert";
import { alertDeliverPath, alertFailurePath } from "@/lib/alerts/raise-alert";

export const alertDeliverHandler = withQstash(alertDeliverPath, async (input) => {
  const answer = await deliverAlert(input);
  return qstashReply(answer);
});

export const alertFailureHandler = withQstash(alertFailurePath, async ({ rawBody }) => {
  const marked = await markAlertExhausted(rawBody);
  if (!marked) {
    log.error("Unreadable QStash failure callback for an alert");
    return qstashReply(permanentAnswer({ error: "unreadable failure callback" }));
  }
  return jsonReply(marked);
});

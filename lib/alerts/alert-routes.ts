// The QStash-facing alert handler, as a value the route file exports.
import { jsonReply } from "@/lib/http/reply";
import { withQstash } from "@/lib/qstash/with-qstash";
import { deliverAlert } from "@/lib/alerts/deliver-alert";
import { alertDeliverPath } from "@/lib/alerts/raise-alert";

export const alertDeliverHandler = withQstash(alertDeliverPath, async (input) => {
  const answer = await deliverAlert(input);
  return jsonReply(answer.body, answer.status, answer.headers);
});

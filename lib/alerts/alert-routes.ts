// The QStash-facing alert handler, as a value the route file exports.
import { json } from "@/lib/http/responses";
import { withQstash } from "@/lib/qstash/with-qstash";
import { deliverAlert } from "@/lib/alerts/deliver-alert";
import { alertDeliverPath } from "@/lib/alerts/raise-alert";

export const alertDeliverHandler = withQstash(alertDeliverPath, async (input) => {
  const answer = await deliverAlert(input);
  return json(answer.body, { status: answer.status, headers: answer.headers });
});

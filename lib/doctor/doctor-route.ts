// The app's side of `npm run doctor`: a route that accepts only a request signed like a QStash
// delivery to this exact URL, checked by the same wrapper as /api/deliver. A pass proves that
// APP_URL reaches this deployment and that both sides hold the same signing keys and APP_URL.
import { withQstash } from "@/lib/qstash/with-qstash";
import { doneAnswer, qstashReply } from "@/lib/qstash/answer";

export const doctorPath = "/api/doctor";

/** What the doctor looks for, so a 200 from some other app at APP_URL does not pass. */
export const doctorAnswer = { ok: true, service: "switchyard" } as const;

export const doctorHandler = withQstash(doctorPath, async () => qstashReply(doneAnswer(doctorAnswer)));

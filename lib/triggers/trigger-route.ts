// Adapts acceptTrigger to the trigger routes: every method, 202 with the answer (no body for HEAD).
import type { HotHandler } from "@/lib/http/pages-route";
import { jsonReply } from "@/lib/http/reply";
import { acceptTrigger, type TriggerRoute } from "@/lib/triggers/accept-trigger";

export function triggerHandler<P>(toRoute: (params: P) => TriggerRoute): HotHandler<P> {
  return async ({ request, params }) => {
    const answer = await acceptTrigger(request, toRoute(params));
    return jsonReply(answer.body, 202, answer.headers);
  };
}

// Adapts acceptTrigger to the trigger routes: every method, 202 with the answer or the callback's
// own acknowledgement, or a handshake's answer (no body for HEAD).
import type { HotHandler } from "@/lib/http/pages-route";
import { acceptTrigger, type TriggerRoute } from "@/lib/triggers/accept-trigger";
import { acknowledge } from "@/lib/triggers/acknowledgement";

export function triggerHandler<P>(toRoute: (params: P) => TriggerRoute): HotHandler<P> {
  return async ({ request, params }) => {
    const outcome = await acceptTrigger(request, toRoute(params));
    if ("reply" in outcome) return outcome.reply;
    return acknowledge(outcome.body, outcome.headers, outcome.acknowledgement);
  };
}

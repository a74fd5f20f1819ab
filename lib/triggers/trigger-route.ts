// Adapts acceptTrigger to the trigger routes: every method, 202 with the answer (no body for HEAD).
import { json } from "@/lib/http/responses";
import { route } from "@/lib/http/route";
import { acceptTrigger, type TriggerRoute } from "@/lib/triggers/accept-trigger";

export function triggerHandler<P>(toRoute: (params: P) => TriggerRoute) {
  return route<P>(async ({ request, params }) => {
    const answer = await acceptTrigger(request, toRoute(params));
    if (request.method === "HEAD") return new Response(null, { status: 202, headers: answer.headers });
    return json(answer.body, { status: 202, headers: answer.headers });
  });
}

// The idempotency claim alone (no rate limit), through the functions the trigger route uses:
// planClaim, the one admission round trip of admitTrigger, and settleClaim.
import { admitTrigger } from "@/lib/ratelimit";
import { claimWriteOf, planClaim, settleClaim, type ClaimOptions, type IdempotencyClaim } from "@/lib/triggers/idempotency";

export async function claimIdempotencyKey(callbackId: string, idempotencyKey: string, destinationIds: string[], options: ClaimOptions = {}): Promise<IdempotencyClaim> {
  const plan = planClaim(callbackId, idempotencyKey, destinationIds, options);
  const { claim } = await admitTrigger(callbackId, null, claimWriteOf(plan));
  return settleClaim(plan, claim ?? { status: "unreachable" });
}

// A resolve-and-check of a broker's host before connecting, as an outcome: the host must not
// resolve to the deployment's own network unless ALLOW_PRIVATE_DESTINATIONS. It cannot stop DNS
// rebinding on its own: MQTT no longer uses it (it checks every transport at connect time, see
// mqtt/transport.ts); AMQP keeps it in front of its own connect-time guardedLookup.
import { assertHostAllowed, BlockedAddressError } from "@/lib/destinations/address-guard";
import { errorMessage } from "@/lib/destinations/broker/support";
import { networkFailure } from "@/lib/destinations/broker/network-errors";
import type { DeliveryOutcome } from "@/lib/destinations/types";

export interface HostRefusal {
  result: "retryable" | "permanent";
  error: string;
}

/** undefined: the host may be connected to; otherwise why not (blocked: permanent, DNS failure: retryable). */
async function checkBrokerHost(hostname: string, allowPrivate: boolean): Promise<HostRefusal | undefined> {
  try {
    await assertHostAllowed(hostname, allowPrivate);
    return undefined;
  } catch (error) {
    if (error instanceof BlockedAddressError) return { result: "permanent", error: error.message };
    return { result: "retryable", error: networkFailure(error) ?? `Broker unreachable: ${errorMessage(error)}` };
  }
}

/** The address guard's verdict on the broker host as an outcome, or undefined when it may be reached. */
export async function refuseBrokerHost(
  hostname: string,
  allowPrivate: boolean,
  describe: () => { target: string; request: Record<string, unknown> },
  started: number,
): Promise<DeliveryOutcome | undefined> {
  const refused = await checkBrokerHost(hostname, allowPrivate);
  if (!refused) return undefined;
  return { ...refused, ...describe(), response: null, durationMs: Math.round(performance.now() - started) };
}

// The delivery function's way of calling a broker sender, checked the same for MQTT and AMQP:
// the close is handed over, and settles without leaving a socket.
import { expect } from "vitest";
import type { DeliveryOutcome, Sender, SendContext } from "@/lib/destinations/types";
import { waitFor } from "./api";
import { openTcpHandles } from "./broker-context";

/**
 * Sends with `deferClose` as the delivery function does: the outcome comes back with the close
 * handed over (no closeMs), and once that settles no socket is left.
 */
export async function expectDeferredClose<C>(send: Sender<C>, context: SendContext<C>): Promise<DeliveryOutcome> {
  const before = openTcpHandles();
  const closings: Array<Promise<void>> = [];
  const outcome = await send({ ...context, deferClose: (closing) => closings.push(closing) });
  expect(outcome.result, outcome.error).toBe("succeeded");
  expect(closings).toHaveLength(1);
  const timings = (outcome.response as { timings: Record<string, number> }).timings;
  expect(Object.keys(timings).sort()).toEqual(["connectMs", "publishMs"]);
  await Promise.all(closings);
  await waitFor(async () => openTcpHandles() <= before, { what: "TCP handles back to the baseline", timeoutMs: 2_000 });
  return outcome;
}

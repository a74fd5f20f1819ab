// Hold soak (issue #16): triggers keep arriving while their callback is paused and then resumed,
// to a destination under flow control and to a FIFO destination with per-key queues. Nothing may
// be lost or sent twice, and nothing beyond what was in flight may arrive while held. (Order is
// the integration tests' subject: senders here race each other, so acceptance order is unknown.)
// Bounded to well under a minute on two cores.
import { describe, expect, it } from "vitest";
import { call, waitFor } from "../support/api";
import { createCallback, httpDestination } from "../support/fixtures";
import { useApp } from "../support/harness";
import { useSink, type SinkRequest } from "../support/sink";
import { fireTriggers, log, reconcileArrivals, waitForTerminal } from "./soak-support";

const triggers = 600;
const concurrency = 20;
/** The pause lands once deliveries are flowing (or at this answer at the latest). */
const pauseBy = 300;
const resumeAt = 500;
const keys = 4;

const app = useApp();
const sink = useSink();

describe("hold under load", () => {
  it(`${triggers} triggers at concurrency ${concurrency} with the callback paused mid-flow until the ${resumeAt}th answer: every delivery arrives once, none while held`, async () => {
    const callback = await createCallback(app.url, {
      name: "soak-hold",
      retries: 5,
      destinations: [
        { ...httpDestination(`${sink.url}/paced`), name: "paced", maxConcurrency: 20, failureThreshold: null },
        { ...httpDestination(`${sink.url}/ordered`), name: "ordered", ordering: "fifo", orderingKey: "{body.k}", failureThreshold: null },
      ],
    });
    const control: Array<Promise<unknown>> = [];
    let arrivedBeforeResume = -1;
    let heldAtResume = -1;
    let pausedAt = Number.POSITIVE_INFINITY;
    const fired = await fireTriggers(callback.triggerUrl, {
      count: triggers,
      concurrency,
      body: (n) => ({ n, k: n % keys }),
      onAnswer: (_fired, answered) => {
        const flowing = sink.requests.length >= 5 || answered >= pauseBy;
        if (flowing && control.length === 0) {
          control.push(
            call(app.url, "POST", `/api/callbacks/${callback.id}/pause`).then((result) => {
              expect(result.status).toBe(200);
              pausedAt = sink.requests.length;
            }),
          );
        }
        if (answered === resumeAt) {
          control.push(
            (async () => {
              await Promise.all(control.slice());
              const held = await call<{ heldDeliveries: number | null }>(app.url, "GET", `/api/destinations/${callback.destinations[0]?.id ?? ""}`);
              heldAtResume = held.body.heldDeliveries ?? -1;
              arrivedBeforeResume = sink.requests.length;
              expect((await call(app.url, "POST", `/api/callbacks/${callback.id}/resume`)).status).toBe(200);
            })(),
          );
        }
      },
    });
    await Promise.all(control);
    const accepted = fired.filter((trigger) => trigger.status === 202);
    expect(accepted).toHaveLength(triggers);
    const ids = accepted.flatMap((trigger) => trigger.deliveryIds);
    const rows = await waitForTerminal(app.db, ids, 40_000);
    expect(rows.filter((row) => row.status !== "succeeded")).toEqual([]);
    await waitFor(async () => sink.requests.length >= ids.length, { timeoutMs: 10_000 }).catch(() => undefined);

    const paced = sink.requests.filter((request) => request.path === "/paced");
    const ordered = sink.requests.filter((request) => request.path === "/ordered");
    // A trigger's deliveries are listed in the callback's destination order.
    const expectedPaced = accepted.map((trigger) => trigger.deliveryIds[0] ?? "");
    const expectedOrdered = accepted.map((trigger) => trigger.deliveryIds[1] ?? "");
    const webhookIds = (requests: SinkRequest[]) => requests.map((request) => String(request.headers["webhook-id"]));
    const arrivals = { paced: reconcileArrivals(expectedPaced, webhookIds(paced)), ordered: reconcileArrivals(expectedOrdered, webhookIds(ordered)) };
    log(`hold: held ${heldAtResume} at the paced destination when resumed; ${pausedAt} requests before the pause, ${arrivedBeforeResume} before the resume; ${JSON.stringify(arrivals)}`);
    for (const reconciled of Object.values(arrivals)) expect(reconciled).toMatchObject({ duplicates: 0, missing: [], unexpected: [] });
    expect(heldAtResume).toBeGreaterThan(0);
    // While paused, at most what was already in flight when the pause landed may arrive.
    expect(arrivedBeforeResume - pausedAt).toBeLessThanOrEqual(2 * concurrency);
  });
});

// Outbound Standard Webhooks signatures: a receiver using the official verifier accepts them,
// webhook-id is the delivery id on every retry, and the whsec_ secret is shown once, survives
// switching signing off and on, and can be rotated.
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../../support/fixtures";
import { useApp } from "../../../support/harness";
import { startSink, type Sink } from "../../../support/sink";
import { fireTrigger, onlyDelivery } from "../../../support/trigger";

const app = useApp();

interface Received {
  headers: Record<string, string>;
  body: string;
  verified: boolean;
}

/** A receiver that verifies with the official package and can be told to fail first. */
let receiver: { url: string; secret: string; failFirst: number; received: Received[]; sink: Sink };

beforeAll(async () => {
  const sink = await startSink({
    respond: ({ body, headers: raw }, response) => {
      const headers = raw as Record<string, string>;
      let verified = false;
      try {
        new Webhook(receiver.secret).verify(body, headers);
        verified = true;
      } catch {
        verified = false;
      }
      receiver.received.push({ headers, body, verified });
      const status = !verified ? 401 : receiver.failFirst > 0 ? 503 : 204;
      if (status === 503) receiver.failFirst -= 1;
      response.writeHead(status).end();
    },
  });
  receiver = { url: sink.url, secret: "", failFirst: 0, received: [], sink };
});
afterAll(async () => {
  await receiver.sink.close();
});

describe("outbound signing", () => {
  it("the official verifier accepts every attempt, and webhook-id stays the delivery id across a retry", async () => {
    const callback = await createCallback(app.url, {
      name: "signed",
      destinations: [httpDestination(`${receiver.url}/hook`, { sign: true, body: '{"order": {body.order}}' })],
    });
    const secret = callback.destinations[0]?.signingSecret ?? "";
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    receiver.secret = secret;
    receiver.failFirst = 1;
    const deliveryId = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: { order: { id: 3 } } }));
    const detail = await waitForDelivery(app.url, deliveryId, ["succeeded", "dead", "failed"]);
    expect(detail.status).toBe("succeeded");
    const attempts = receiver.received.filter((entry) => entry.headers["webhook-id"] === deliveryId);
    expect(attempts).toHaveLength(2);
    expect(attempts.every((entry) => entry.verified)).toBe(true);
    expect(attempts.map((entry) => entry.body)).toEqual(['{"order": {"id":3}}', '{"order": {"id":3}}']);
    expect(JSON.stringify(detail)).not.toContain(secret.slice(6));
  });

  it("the secret is shown once; PATCHes and sign off/on keep it; rotateSigningSecret replaces it", async () => {
    const callback = await createCallback(app.url, { name: "rotation", destinations: [httpDestination(`${receiver.url}/hook`, { sign: true })] });
    const id = callback.destinations[0]?.id ?? "";
    const original = callback.destinations[0]?.signingSecret ?? "";
    const patch = (body: Record<string, unknown>) => call<{ signingSecret?: string }>(app.url, "PATCH", `/api/destinations/${id}`, { body });

    expect((await call<{ signingSecret?: string }>(app.url, "GET", `/api/destinations/${id}`)).body.signingSecret).toBeUndefined();
    expect((await patch({ name: "renamed" })).body.signingSecret).toBeUndefined();
    expect((await patch({ config: { sign: false } })).body.signingSecret).toBeUndefined();
    expect((await patch({ config: { sign: true } })).body.signingSecret).toBeUndefined();

    receiver.secret = original;
    const kept = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: { n: 1 } }));
    expect((await waitForDelivery(app.url, kept, ["succeeded", "failed", "dead"])).status).toBe("succeeded");

    const rotated = await patch({ config: { sign: true }, rotateSigningSecret: true });
    expect(rotated.status).toBe(200);
    expect(rotated.body.signingSecret).toMatch(/^whsec_/);
    expect(rotated.body.signingSecret).not.toBe(original);
    const stale = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: { n: 2 } }));
    expect((await waitForDelivery(app.url, stale, ["succeeded", "failed", "dead"])).lastStatusCode).toBe(401);
    receiver.secret = rotated.body.signingSecret ?? "";
    const fresh = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: { n: 3 } }));
    expect((await waitForDelivery(app.url, fresh, ["succeeded", "failed", "dead"])).status).toBe("succeeded");
  });

  it("rotateSigningSecret without sign is refused", async () => {
    const callback = await createCallback(app.url, { name: "no-sign", destinations: [httpDestination(`${receiver.url}/hook`)] });
    const result = await call<{ error: { field: string } }>(app.url, "PATCH", `/api/destinations/${callback.destinations[0]?.id}`, {
      body: { rotateSigningSecret: true },
    });
    expect(result.status).toBe(422);
    expect(result.body.error.field).toBe("rotateSigningSecret");
  });
});

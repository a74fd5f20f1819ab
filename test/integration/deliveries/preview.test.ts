// POST /api/destinations/:id/preview renders without sending: every field, the full HTTP
// request with auth and secrets masked, from a sample or a past event; render problems are a
// 422 listing field and message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { startSink, type Sink } from "../../support/sink";
import { fireTrigger, onlyDelivery } from "../../support/trigger";

const app = useApp();
let sink: Sink;
const secretName = `PREVIEW_KEY_${process.pid}`;
const secretValue = "preview-secret-value-31337";

interface Preview {
  kind: string;
  source: string;
  eventId: string | null;
  fields: Record<string, string>;
  payload: string | null;
  request?: { method: string; url: string; headers: Record<string, string>; body: string | null };
}

interface PreviewError {
  error: { code: string; field: string; message: string; issues: Array<{ field: string; message: string }> };
}

beforeAll(async () => {
  sink = await startSink();
  expect((await call(app.url, "POST", "/api/secrets", { body: { name: secretName, value: secretValue } })).status).toBe(201);
});
afterAll(async () => {
  await sink.close();
});

async function destinationWith(config: Record<string, unknown>, variables: Record<string, string> = {}) {
  const callback = await createCallback(app.url, { name: "preview", variables, destinations: [httpDestination(`${sink.url}/p/{body.order.id}`, config)] });
  return { callback, destinationId: callback.destinations[0]?.id ?? "" };
}

describe("destination preview", () => {
  it("renders every field and the full request from a sample, secrets and auth masked, nothing sent", async () => {
    const { destinationId } = await destinationWith(
      {
        method: "PUT",
        query: { q: "{query.q}" },
        headers: { "X-Key": `{secret:${secretName}}`, "X-Region": "{var.region}" },
        body: '{"id": {body.order.id}, "from": "{header.x-source}"}',
        auth: { type: "basic", username: "bob", password: "literal-password-991" },
        sign: true,
      },
      { region: "eu" },
    );
    const before = sink.requests.length;
    const result = await call<Preview>(app.url, "POST", `/api/destinations/${destinationId}/preview`, {
      body: { sample: { query: { q: "x y" }, headers: { "X-Source": "shop" }, body: { order: { id: 5 } } } },
    });
    expect(result.status, result.text).toBe(200);
    expect(result.body.fields).toMatchObject({
      "config.url": `${sink.url}/p/5`,
      "config.query.q": "x y",
      "config.headers.X-Key": "***",
      "config.headers.X-Region": "eu",
      "config.body": '{"id": 5, "from": "shop"}',
      "config.auth.username": "bob",
      "config.auth.password": "***",
    });
    expect(result.body.request).toMatchObject({
      method: "PUT",
      url: `${sink.url}/p/5?q=x+y`,
      body: '{"id": 5, "from": "shop"}',
      headers: { authorization: "***", "x-key": "***", "x-region": "eu", "content-type": "application/json", "webhook-signature": "v1,***" },
    });
    expect(result.body.payload).toBe('{"id": 5, "from": "shop"}');
    expect(result.text).not.toContain(secretValue);
    expect(result.text).not.toContain("literal-password-991");
    expect(result.text).not.toContain(Buffer.from("bob:literal-password-991").toString("base64"));
    expect(sink.requests.length).toBe(before);
  });

  it("renders against a past event, with the default envelope when no body is set", async () => {
    const { callback, destinationId } = await destinationWith({});
    const answer = await fireTrigger(callback.triggerUrl, { body: { order: { id: 9 } } });
    await waitForDelivery(app.url, onlyDelivery(answer), ["succeeded"]);
    const result = await call<Preview>(app.url, "POST", `/api/destinations/${destinationId}/preview`, { body: { eventId: answer.eventId } });
    expect(result.status, result.text).toBe(200);
    expect(result.body).toMatchObject({ source: "event", eventId: answer.eventId, fields: { "config.url": `${sink.url}/p/9` } });
    const envelope = JSON.parse(result.body.payload ?? "{}") as { eventId: string; request: { body: unknown } };
    expect(envelope.eventId).toBe(answer.eventId);
    expect(envelope.request.body).toEqual({ order: { id: 9 } });
  });

  it("masks OAuth2 and API-key credentials and fetches no token", async () => {
    const { destinationId } = await destinationWith({
      auth: { type: "oauth2_client_credentials", tokenUrl: `${sink.url}/token`, clientId: "cid", clientSecret: "oauth-client-secret-42" },
    });
    const before = sink.requests.length;
    const result = await call<Preview>(app.url, "POST", `/api/destinations/${destinationId}/preview`, { body: { sample: { body: { order: { id: 1 } } } } });
    expect(result.status).toBe(200);
    expect(result.body.request?.headers.authorization).toBe("***");
    expect(result.body.fields["config.auth.clientSecret"]).toBe("***");
    expect(result.text).not.toContain("oauth-client-secret-42");
    expect(sink.requests.length).toBe(before);
  });

  it("answers 422 listing each field that cannot render, instead of crashing", async () => {
    const { destinationId } = await destinationWith({ headers: { "X-Env": "{env:TRIGGER_VAR_PREVIEW_UNSET}" }, body: '{"k": "{secret:' + secretName + '}"}' });
    await call(app.url, "DELETE", `/api/secrets/${secretName}`);
    try {
      const result = await call<PreviewError>(app.url, "POST", `/api/destinations/${destinationId}/preview`, { body: { sample: { body: { order: { id: 1 } } } } });
      expect(result.status).toBe(422);
      expect(result.body.error.code).toBe("validation_failed");
      expect(result.body.error.issues).toEqual(
        expect.arrayContaining([
          { field: "config.body", message: `secret {secret:${secretName}} does not exist` },
          { field: "config.headers.X-Env", message: expect.stringMatching(/TRIGGER_VAR_PREVIEW_UNSET is not set/) },
        ]),
      );
    } finally {
      await call(app.url, "POST", "/api/secrets", { body: { name: secretName, value: secretValue } });
    }
  });

  it("is kind-agnostic: an MQTT topic/payload and an AMQP routing key render, the broker password masked", async () => {
    const callback = await createCallback(app.url, {
      name: "preview-brokers",
      destinations: [
        { kind: "mqtt", name: "m", config: { url: "mqtt://127.0.0.1:1", topic: "devices/{body.device}/events", payload: '{"t": {body.temp}}', password: "mqtt-pass-8877" } },
        { kind: "amqp", name: "a", config: { url: "amqp://guest:amqp-pass-6655@127.0.0.1:1", routingKey: "sensor.{body.device}" } },
      ],
    });
    const [mqtt, amqp] = callback.destinations;
    const sample = { sample: { body: { device: "d-1", temp: 21.5 } } };
    const mqttPreview = await call<Preview>(app.url, "POST", `/api/destinations/${mqtt?.id}/preview`, { body: sample });
    expect(mqttPreview.status, mqttPreview.text).toBe(200);
    expect(mqttPreview.body).toMatchObject({ kind: "mqtt", payload: '{"t": 21.5}', fields: { "config.topic": "devices/d-1/events", "config.password": "***" } });
    expect(mqttPreview.body.request).toBeUndefined();
    expect(mqttPreview.text).not.toContain("mqtt-pass-8877");
    const amqpPreview = await call<Preview>(app.url, "POST", `/api/destinations/${amqp?.id}/preview`, { body: sample });
    expect(amqpPreview.body).toMatchObject({ kind: "amqp", fields: { "config.routingKey": "sensor.d-1" } });
    expect(JSON.parse(amqpPreview.body.payload ?? "{}")).toMatchObject({ request: { body: { device: "d-1", temp: 21.5 } } });
    expect(amqpPreview.text).not.toContain("amqp-pass-6655");
  });

  it("404 for an unknown destination or event, 422 for sample and eventId together, 401 without auth", async () => {
    const { destinationId } = await destinationWith({});
    const unknownId = "0190c0de-0000-7000-8000-00000000beef";
    expect((await call(app.url, "POST", `/api/destinations/${unknownId}/preview`, { body: {} })).status).toBe(404);
    expect((await call(app.url, "POST", `/api/destinations/${destinationId}/preview`, { body: { eventId: unknownId } })).status).toBe(404);
    expect((await call(app.url, "POST", `/api/destinations/${destinationId}/preview`, { body: { eventId: unknownId, sample: {} } })).status).toBe(422);
    expect((await call(app.url, "POST", `/api/destinations/${destinationId}/preview`, { body: {}, token: null })).status).toBe(401);
  });
});

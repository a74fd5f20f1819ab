// Save-time guards through the operator API: a literal credential, request data in a URL's origin
// or an MQTT client id, and undecodable URL credentials are each a 422 naming the field, with
// nothing written; a too-deep preview sample is a 422, never a 500. At delivery time, request
// values that would add MQTT topic levels or AMQP routing-key words fail the delivery and reach
// no subscriber.
import { randomUUID } from "node:crypto";
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, waitFor, type ErrorBody, expect422 } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery, type DeliveryDetail } from "../../support/fixtures";
import { getDestination } from "../../support/lifecycle";
import { useApp, countConfigRows } from "../../support/harness";
import { callAs, signInNewViewer } from "../../support/sessions";
import { startSink, type Sink } from "../../support/sink";
import { fireTrigger, onlyDelivery } from "../../support/trigger";
import { subscribe } from "../../support/mqtt-subscriber";

const app = useApp();
const mosquittoUrl = "mqtt://127.0.0.1:1883";
const rabbitUrl = "amqp://guest:guest@127.0.0.1:5672";
let sink: Sink;
let callbackId = "";
let rabbit: ChannelModel;
let channel: Channel;

beforeAll(async () => {
  sink = await startSink();
  callbackId = (await createCallback(app.url, { name: "guards", variables: { host: "127.0.0.1" } })).id;
  rabbit = await connect(rabbitUrl);
  channel = await rabbit.createChannel();
});
afterAll(async () => {
  await sink.close();
  await rabbit?.close();
});

const literalCredential = /credential may not be written literally here: use config\.auth .* or a \{secret:NAME\} placeholder/;
const originMessage = /is request data and may not choose the scheme, host or port of this URL/;
const percentMessage = /not valid percent-encoding/;

const refused: Array<[string, Record<string, unknown>, string, RegExp]> = [
  ["a literal bearer token header", httpDestination("https://api.example.com/x", { headers: { Authorization: "Bearer live-token-123" } }), "config.headers.Authorization", literalCredential],
  ["a literal cookie", httpDestination("https://api.example.com/x", { headers: { cookie: "sid=abc123" } }), "config.headers.cookie", literalCredential],
  ["a literal X-Api-Key", httpDestination("https://api.example.com/x", { headers: { "X-Api-Key": "k-998877" } }), "config.headers.X-Api-Key", literalCredential],
  ["a literal api_key query parameter", httpDestination("https://api.example.com/x", { query: { api_key: "k-998877" } }), "config.query.api_key", literalCredential],
  ["a {var.…} credential", httpDestination("https://api.example.com/x", { query: { token: "{var.host}" } }), "config.query.token", /\{var\.host\} is kept in clear/],
  [
    "a literal Authorization header on an AMQP message",
    { kind: "amqp", name: "a", config: { url: rabbitUrl, exchange: "", routingKey: "q", headers: { Authorization: "Bearer amqp-live-7788" } } },
    "config.headers.Authorization",
    literalCredential,
  ],
  [
    "a literal api_key in the URL's own query",
    httpDestination("https://api.example.com/x?page=1&api_key=k-998877"),
    "config.url",
    /query parameter api_key: a credential may not be written literally here/,
  ],
  [
    "a {var.…} client_secret in an OAuth2 tokenUrl's query",
    httpDestination("https://api.example.com/x", {
      auth: { type: "oauth2_client_credentials", tokenUrl: "https://idp.example.com/token?client_secret={var.host}", clientId: "c", clientSecret: "s" },
    }),
    "config.auth.tokenUrl",
    /query parameter client_secret: \{var\.host\} is kept in clear/,
  ],
  ["a request host", httpDestination("https://{body.host}/x"), "config.url", originMessage],
  ["a request base URL", httpDestination("{body.callback_url}"), "config.url", originMessage],
  ["a request value glued to the host", httpDestination("https://api.example.com{query.s}/x"), "config.url", originMessage],
  [
    "a request host in an OAuth2 tokenUrl",
    httpDestination("https://api.example.com/x", { auth: { type: "oauth2_client_credentials", tokenUrl: "https://{header.x-idp}/token", clientId: "c", clientSecret: "s" } }),
    "config.auth.tokenUrl",
    originMessage,
  ],
  [
    "a request MQTT clientId",
    { kind: "mqtt", name: "m", config: { url: mosquittoUrl, topic: "t/x", clientId: "sy-{body.device}" } },
    "config.clientId",
    /is request data and may not be used here/,
  ],
  [
    "{path} in an MQTT topic",
    { kind: "mqtt", name: "m", config: { url: mosquittoUrl, topic: "hooks{path}" } },
    "config.topic",
    /may not add levels to the MQTT topic.*whatever values are inserted/,
  ],
  ["an undecodable AMQP password", { kind: "amqp", name: "a", config: { url: "amqp://user:%E0%A4%A@127.0.0.1:5672" } }, "config.url", percentMessage],
  ["an undecodable MQTT password", { kind: "mqtt", name: "m", config: { url: "mqtt://u:%zz@127.0.0.1:1883" } }, "config.url", percentMessage],
  ["an undecodable HTTP password", httpDestination("https://u:%@api.example.com/x"), "config.url", percentMessage],
];

describe("save-time guards: 422 naming the field, nothing written", () => {
  it.each(refused)("adding a destination with %s", async (_name, destination, field, message) => {
    const before = await countConfigRows(app.db);
    expect422(await call(app.url, "POST", `/api/callbacks/${callbackId}/destinations`, { body: destination }), field, message);
    expect(await countConfigRows(app.db)).toEqual(before);
  });

  it.each(refused)("creating a callback with %s", async (_name, destination, field, message) => {
    const before = await countConfigRows(app.db);
    expect422(await call(app.url, "POST", "/api/callbacks", { body: { name: "refused", destinations: [destination] } }), `destinations.0.${field}`, message);
    expect(await countConfigRows(app.db)).toEqual(before);
  });

  it("a PATCH that adds a literal credential is refused and the stored config stays as it was", async () => {
    const created = await call<{ id: string }>(app.url, "POST", `/api/callbacks/${callbackId}/destinations`, {
      body: httpDestination(`${sink.url}/patched`, { headers: { "X-Region": "eu" } }),
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id;
    const before = await call<{ config: unknown }>(app.url, "GET", `/api/destinations/${id}`);
    expect422(await call(app.url, "PATCH", `/api/destinations/${id}`, { body: { config: { query: { access_token: "tok-5566" } } } }), "config.query.access_token", literalCredential);
    expect422(await call(app.url, "PATCH", `/api/destinations/${id}`, { body: { config: { url: "https://{query.host}/x" } } }), "config.url", originMessage);
    const after = await call<{ config: unknown }>(app.url, "GET", `/api/destinations/${id}`);
    expect(after.body.config).toEqual(before.body.config);
    expect(after.text).not.toContain("tok-5566");
    // What stays allowed: credentials from {secret:…}, request data in the path and query.
    const secret = `GUARD_TOKEN_${process.pid}`;
    expect((await call(app.url, "POST", "/api/secrets", { body: { name: secret, value: "guard-secret-value" } })).status).toBe(201);
    const accepted = await call(app.url, "PATCH", `/api/destinations/${id}`, {
      body: {
        config: {
          url: `${sink.url}/orders/{body.id}?ref={query.ref}&token={secret:${secret}}`,
          headers: { Authorization: `Bearer {secret:${secret}}`, "X-Region": "eu" },
          query: { api_key: `{secret:${secret}}`, page: "1" },
        },
      },
    });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.text).not.toContain("guard-secret-value");
  });

  it("a row saved before the rules with literal credentials shows them masked, in its target and its configuration", async () => {
    const created = await call<{ id: string }>(app.url, "POST", `/api/callbacks/${callbackId}/destinations`, { body: httpDestination(`${sink.url}/legacy?page=2`) });
    expect(created.status, created.text).toBe(201);
    const stored = await app.db.selectFrom("destinations").select("config").where("id", "=", created.body.id).executeTakeFirstOrThrow();
    const config = {
      ...(stored.config as Record<string, unknown>),
      url: `${sink.url}/legacy?page=2&api_key=legacy-key-4411`,
      headers: { Authorization: "Bearer legacy-header-5522", "X-Region": "eu" },
      query: { token: "legacy-query-6633" },
    };
    await app.db
      .updateTable("destinations")
      .set({ config: JSON.stringify(config) })
      .where("id", "=", created.body.id)
      .execute();
    const viewer = await signInNewViewer(app.url);
    const shown = await callAs<{ target: string; config: { url: string; headers: Record<string, string>; query: Record<string, string> } }>(
      app.url,
      viewer,
      "GET",
      `/api/destinations/${created.body.id}`,
    );
    expect(shown.body.target).toBe(`POST ${sink.url}/legacy?page=2&api_key=***`);
    expect(shown.body.config.url).toBe(`${sink.url}/legacy?page=2&api_key=***`);
    expect(shown.body.config.headers).toEqual({ Authorization: "***", "X-Region": "eu" });
    expect(shown.body.config.query).toEqual({ token: "***" });
    for (const value of ["legacy-key-4411", "legacy-header-5522", "legacy-query-6633"]) expect(shown.text).not.toContain(value);
  });
});

describe("preview with a hostile sample: 4xx, never 500", () => {
  let destinationId = "";
  beforeAll(async () => {
    const created = await call<{ id: string }>(app.url, "POST", `/api/callbacks/${callbackId}/destinations`, {
      body: { kind: "mqtt", name: "preview", config: { url: mosquittoUrl, topic: "preview/{callback_id}" } },
    });
    expect(created.status, created.text).toBe(201);
    destinationId = created.body.id;
  });

  it("a sample body nested 10,000 levels deep is a 422 naming sample.body", async () => {
    const raw = `{"sample":{"body":${"[".repeat(10_000)}${"]".repeat(10_000)}}}`;
    const result = await call<ErrorBody>(app.url, "POST", `/api/destinations/${destinationId}/preview`, { raw, headers: { "content-type": "application/json" } });
    expect422(result, "sample.body", /nested more than 1000 levels deep/);
  });

  it("the same depth sent as a JSON string, for the default payload, is answered, not a 500", async () => {
    const body = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const result = await call(app.url, "POST", `/api/destinations/${destinationId}/preview`, { body: { sample: { body, headers: { "content-type": "application/json" } } } });
    expect(result.status, result.text).toBeLessThan(500);
    expect((await call(app.url, "GET", `/api/destinations/${destinationId}`)).status).toBe(200);
  });
});

/** Failed once, as the event's content: never "Network error", and never counted by the circuit breaker. */
function expectUncountedContentError(detail: DeliveryDetail, reason: RegExp): void {
  expect(detail.status).toBe("failed");
  expect(detail.attempts).toBe(1);
  expect(detail.lastError).toMatch(/^Content error: /);
  expect(detail.lastError).toMatch(reason);
}

describe("request values cannot add MQTT topic levels or AMQP routing-key words (content errors the breaker does not count)", () => {
  it("MQTT: a value with / fails the delivery; the subscriber gets only the well-formed event", async () => {
    const prefix = `guard-${randomUUID()}`;
    const callback = await createCallback(app.url, {
      name: "topic-guard",
      destinations: [{ kind: "mqtt", name: "mosquitto", failureThreshold: 1, config: { url: mosquittoUrl, topic: `${prefix}/{body.room}/state`, qos: 1 } }],
    });
    const subscriber = await subscribe(mosquittoUrl, [`${prefix}/#`]);
    try {
      const hostile = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: { room: "kitchen/../admin" } }));
      const failed = await waitForDelivery(app.url, hostile, ["failed", "dead", "succeeded"]);
      expectUncountedContentError(failed, /\{body\.room\} is request data and may not add levels to the MQTT topic/);
      expect(await getDestination(app.url, callback.destinations[0]?.id ?? "")).toMatchObject({ enabled: true, consecutiveFailures: 0 });
      const fine = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: { room: "kitchen" } }));
      expect((await waitForDelivery(app.url, fine, ["failed", "dead", "succeeded"])).status).toBe("succeeded");
      await subscriber.next(`${prefix}/kitchen/state`);
      expect(subscriber.messages.map((message) => message.topic)).toEqual([`${prefix}/kitchen/state`]);
    } finally {
      await subscriber.close();
    }
  });

  it("MQTT: a request value cannot start the topic with $", async () => {
    const callback = await createCallback(app.url, {
      name: "dollar-guard",
      destinations: [{ kind: "mqtt", name: "mosquitto", failureThreshold: 1, config: { url: mosquittoUrl, topic: "{body.area}/state", qos: 1 } }],
    });
    const delivery = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: { area: "$share" } }));
    const detail = await waitForDelivery(app.url, delivery, ["failed", "dead", "succeeded"]);
    expectUncountedContentError(detail, /may not start the MQTT topic with "\$"/);
    expect(await getDestination(app.url, callback.destinations[0]?.id ?? "")).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  });

  it("AMQP: a value with . fails the delivery; the consumer gets only the well-formed event", async () => {
    const prefix = `guard-${randomUUID()}`;
    const { queue } = await channel.assertQueue("", { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, "amq.topic", `${prefix}.#`);
    const received: ConsumeMessage[] = [];
    await channel.consume(queue, (message) => message && received.push(message), { noAck: true });
    const callback = await createCallback(app.url, {
      name: "routing-guard",
      destinations: [{ kind: "amqp", name: "rabbit", failureThreshold: 1, config: { url: rabbitUrl, exchange: "amq.topic", routingKey: `${prefix}.{body.kind}.created` } }],
    });
    const hostile = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: { kind: "retail.audit" } }));
    const failed = await waitForDelivery(app.url, hostile, ["failed", "dead", "succeeded"]);
    expectUncountedContentError(failed, /\{body\.kind\} is request data and may not add words to the AMQP routing key/);
    expect(await getDestination(app.url, callback.destinations[0]?.id ?? "")).toMatchObject({ enabled: true, consecutiveFailures: 0 });
    const fine = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: { kind: "retail" } }));
    expect((await waitForDelivery(app.url, fine, ["failed", "dead", "succeeded"])).status).toBe("succeeded");
    await waitFor(async () => received.length > 0, { what: "the well-formed AMQP message" });
    expect(received.map((message) => message.fields.routingKey)).toEqual([`${prefix}.retail.created`]);
  });

  it("preview shows the same refusal for a sample, naming the field", async () => {
    const callback = await createCallback(app.url, {
      name: "topic-preview",
      destinations: [{ kind: "mqtt", name: "mosquitto", config: { url: mosquittoUrl, topic: "rooms/{body.room}", qos: 1 } }],
    });
    const destinationId = callback.destinations[0]?.id ?? "";
    const result = await call<ErrorBody>(app.url, "POST", `/api/destinations/${destinationId}/preview`, { body: { sample: { body: { room: "a/b" } } } });
    expect422(result, "config.topic", /may not add levels to the MQTT topic/);
  });
});

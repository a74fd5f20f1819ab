// Whoever holds a trigger URL controls the event, not the destination: an event that cannot be
// delivered fails as a content error, which the circuit breaker never counts, and a body nested
// thousands of levels deep is delivered like any other.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCallback, httpDestination, waitForDelivery, type DeliveryDetail } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { startSink, type Sink } from "../../support/sink";
import { fireTrigger, onlyDelivery } from "../../support/trigger";
import { deliveryFor, getDestination } from "../../support/lifecycle";
import { subscribe } from "../../support/mqtt-subscriber";
import { call } from "../../support/api";

const app = useApp();
const mosquitto = "mqtt://127.0.0.1:1883";
const rabbit = "amqp://guest:guest@127.0.0.1:5672";
const deepArray = `${"[".repeat(6000)}${"]".repeat(6000)}`;
let sink: Sink;
let elsewhere: Sink;

beforeAll(async () => {
  sink = await startSink();
  elsewhere = await startSink();
});
afterAll(async () => {
  await sink.close();
  await elsewhere.close();
});

async function fireJson(triggerUrl: string, raw: string) {
  const answer = await fireTrigger(triggerUrl, { raw, headers: { "content-type": "application/json" } });
  expect(answer.status, answer.text).toBe(202);
  return answer;
}

function expectContentError(detail: DeliveryDetail, reason: RegExp): void {
  expect(detail.status, detail.lastError ?? "").toBe("failed");
  expect(detail.lastError).toMatch(/^Content error: /);
  expect(detail.lastError).toMatch(reason);
  expect(detail.lastError).not.toMatch(/Network error|Unexpected error/);
  expect(detail.attempts).toBe(1);
  expect(detail.attemptsLog[0]?.error).toBe(detail.lastError);
}

describe("content errors and the circuit breaker", () => {
  it("events that cannot render leave the destination enabled at 0 failures; a receiver answering 500 still trips it", async () => {
    const callback = await createCallback(app.url, {
      name: "content-breaker",
      retries: 0,
      destinations: [{ ...httpDestination(`${sink.url}/content`, { headers: { "X-Room": "{body.room}" } }), failureThreshold: 2 }],
    });
    const id = callback.destinations[0]?.id ?? "";
    const before = sink.requests.length;
    for (let index = 0; index < 3; index += 1) {
      // An emoji is no valid HTTP header value: this event can never be sent as configured.
      const deliveryId = onlyDelivery(await fireJson(callback.triggerUrl, JSON.stringify({ room: "\u{1F600}" })));
      expectContentError(await waitForDelivery(app.url, deliveryId, ["failed", "dead", "succeeded"]), /config\.headers\.X-Room/);
    }
    expect(await getDestination(app.url, id)).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null });
    expect(sink.requests.length).toBe(before);

    sink.defaultStatus = 500;
    try {
      for (let index = 0; index < 2; index += 1) {
        const deliveryId = onlyDelivery(await fireJson(callback.triggerUrl, JSON.stringify({ room: "hall" })));
        expect((await waitForDelivery(app.url, deliveryId, ["dead", "failed", "succeeded"])).status).toBe("dead");
      }
    } finally {
      sink.defaultStatus = 200;
    }
    expect(await getDestination(app.url, id)).toMatchObject({ enabled: false, disabledReason: "circuit breaker: 2 consecutive failures" });
  });

  it("a payload too deep to serialise (MQTT) or headers too large to encode (AMQP) fail as content, uncounted", async () => {
    const callback = await createCallback(app.url, {
      name: "content-brokers",
      retries: 2,
      destinations: [
        { kind: "mqtt", name: "deep", failureThreshold: 1, config: { url: mosquitto, topic: `switchyard-test/${randomUUID()}`, payload: '{"copy": {body}}' } },
        {
          kind: "amqp",
          name: "big-headers",
          failureThreshold: 1,
          config: { url: rabbit, exchange: "", routingKey: "switchyard-test-nowhere", mandatory: false, headers: { "x-copy": "{body.big}" } },
        },
      ],
    });
    const [mqttId, amqpId] = callback.destinations.map((destination) => destination.id) as [string, string];
    const deep = await fireJson(callback.triggerUrl, `{"big":"${"y".repeat(70_000)}","deep":${deepArray}}`);
    expectContentError(await waitForDelivery(app.url, deliveryFor(deep, mqttId), ["failed", "dead", "succeeded"]), /\{body\} cannot be serialised as JSON/);
    expectContentError(await waitForDelivery(app.url, deliveryFor(deep, amqpId), ["failed", "dead", "succeeded"]), /cannot be encoded/);
    for (const id of [mqttId, amqpId]) expect(await getDestination(app.url, id)).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  });
});

describe("a 6,000-level nested array body", () => {
  it("reaches an HTTP receiver and an MQTT subscriber in the default envelope, verbatim", async () => {
    const topic = `switchyard-test/${randomUUID()}/deep`;
    const callback = await createCallback(app.url, {
      name: "deep-body",
      destinations: [httpDestination(`${sink.url}/deep`), { kind: "mqtt", name: "deep-mqtt", config: { url: mosquitto, topic, qos: 1 } }],
    });
    const [httpId, mqttId] = callback.destinations.map((destination) => destination.id) as [string, string];
    const subscriber = await subscribe(mosquitto, [topic]);
    try {
      const answer = await fireJson(callback.triggerUrl, deepArray);
      for (const id of [httpId, mqttId]) {
        const detail = await waitForDelivery(app.url, deliveryFor(answer, id), ["succeeded", "failed", "dead"]);
        expect(detail.status, detail.lastError ?? "").toBe("succeeded");
      }
      const received = sink.requests.find((request) => request.path === "/deep");
      const published = await subscriber.next(topic);
      for (const text of [received?.body ?? "", published.payload]) {
        expect(text).toContain(`"body":${deepArray}`);
        expect(() => JSON.parse(text) as unknown).not.toThrow();
      }
    } finally {
      await subscriber.close();
    }
  });
});

describe("request data cannot choose where a delivery goes (rows saved before the save-time rule)", () => {
  const cases = [
    { field: "config.url", config: (base: string) => ({ url: `${base}/hook` }) },
    {
      field: "config.auth.tokenUrl",
      config: (base: string) => ({
        url: `${sink.url}/oauth-hook`,
        auth: { type: "oauth2_client_credentials", tokenUrl: `${base}/token`, clientId: "c", clientSecret: "s3cret-value" },
      }),
    },
  ];

  it.each(cases)("$field rendered from the body to another origin fails as content and sends nothing there", async ({ field, config }) => {
    const callback = await createCallback(app.url, { name: "origin", destinations: [{ ...httpDestination(`${sink.url}/hook`), failureThreshold: 1 }] });
    const id = callback.destinations[0]?.id ?? "";
    // What an older version let an operator save: the base URL, so the origin, comes from the request body.
    const stored = await app.db.selectFrom("destinations").select("config").where("id", "=", id).executeTakeFirstOrThrow();
    const patched = { ...(stored.config as Record<string, unknown>), ...config("{body.base}") };
    await app.db
      .updateTable("destinations")
      .set({ config: JSON.stringify(patched) })
      .where("id", "=", id)
      .execute();
    const before = elsewhere.requests.length;
    const deliveryId = onlyDelivery(await fireJson(callback.triggerUrl, JSON.stringify({ base: elsewhere.url })));
    const detail = await waitForDelivery(app.url, deliveryId, ["failed", "dead", "succeeded"]);
    expectContentError(detail, new RegExp(`${field.replaceAll(".", "\\.")}: request data may not choose where a delivery goes`));
    expect(elsewhere.requests.length).toBe(before);
    expect(await getDestination(app.url, id)).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  });
});

describe("values Postgres cannot store (U+0000, a lone surrogate)", () => {
  let echo: Sink;
  beforeAll(async () => {
    // Answers with what it got, as httpbin does: the recorded response carries the event's values too.
    echo = await startSink({ respond: (request, response) => response.writeHead(200, { "content-type": "text/plain" }).end(request.body) });
  });
  afterAll(async () => {
    await echo.close();
  });

  it("rendered into the body, echoed back, or thrown by a transform: recorded with U+FFFD, never counted by the breaker", async () => {
    const callback = await createCallback(app.url, {
      name: "unstorable-values",
      retries: 1,
      destinations: [
        { ...httpDestination(`${echo.url}/text`, { body: "a={body.a}", bodyType: "text" }), failureThreshold: 1 },
        { ...httpDestination(`${echo.url}/thrown`), failureThreshold: 1 },
      ],
    });
    const [textId, thrownId] = callback.destinations.map((destination) => destination.id) as [string, string];
    const thrown = await call(app.url, "PATCH", `/api/destinations/${thrownId}`, { body: { transform: 'function transform(event) { throw new Error("bad " + event.body.a); }' } });
    expect(thrown.status, thrown.text).toBe(200);
    for (const escape of ["\\u0000", "\\ud800"]) {
      const answer = await fireJson(callback.triggerUrl, `{"a":"x${escape}y"}`);
      const sent = await waitForDelivery(app.url, deliveryFor(answer, textId), ["succeeded", "failed", "dead"]);
      expect(sent.status, sent.lastError ?? "").toBe("succeeded");
      expect(sent.attemptsLog[0]?.request.body).toBe("a=x\uFFFDy");
      expect(sent.attemptsLog[0]?.response?.body).toBe("a=x\uFFFDy");
      expectContentError(await waitForDelivery(app.url, deliveryFor(answer, thrownId), ["failed", "dead", "succeeded"]), /^Content error: transform threw at line 1: Error: bad x\uFFFDy$/);
    }
    // What the receiver got is what the event said, not the stored stand-in.
    expect(echo.requests.filter((request) => request.path === "/text").map((request) => request.body)).toEqual(["a=x\u0000y", "a=x\uFFFDy"]);
    for (const id of [textId, thrownId]) expect(await getDestination(app.url, id)).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null });
  });

  it("a NUL byte in the body or %00 in the query: the event is stored (the body as base64) and delivered", async () => {
    const callback = await createCallback(app.url, { name: "nul-event", retries: 1, destinations: [{ ...httpDestination(`${sink.url}/nul`), failureThreshold: 1 }] });
    const answer = await fireTrigger(callback.triggerUrl, { raw: "a\u0000b", headers: { "content-type": "text/plain" }, query: "?q=%00" });
    const detail = await waitForDelivery(app.url, onlyDelivery(answer), ["succeeded", "failed", "dead"]);
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    expect(detail.event).toMatchObject({ body: Buffer.from("a\u0000b").toString("base64"), query: { q: "\uFFFD" } });
    const received = JSON.parse(sink.requests.find((request) => request.path === "/nul")?.body ?? "{}") as { request?: unknown };
    expect(received.request).toMatchObject({ query: { q: "\uFFFD" }, body: Buffer.from("a\u0000b").toString("base64"), bodyEncoding: "base64" });
    expect(await getDestination(app.url, callback.destinations[0]?.id ?? "")).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  });
});

describe("request data cannot take an MQTT client's identity (a row saved before the save-time rule)", () => {
  it("a clientId rendered from the body fails as content, and the client holding that id stays connected", async () => {
    const topic = `switchyard-test/${randomUUID()}/identity`;
    const callback = await createCallback(app.url, {
      name: "client-identity",
      destinations: [{ kind: "mqtt", name: "identity", failureThreshold: 1, config: { url: mosquitto, topic, qos: 1, clientId: "switchyard-fixed" } }],
    });
    const id = callback.destinations[0]?.id ?? "";
    const stored = await app.db.selectFrom("destinations").select("config").where("id", "=", id).executeTakeFirstOrThrow();
    await app.db
      .updateTable("destinations")
      .set({ config: JSON.stringify({ ...(stored.config as Record<string, unknown>), clientId: "{body.device}" }) })
      .where("id", "=", id)
      .execute();
    // The device the sender names: a broker drops a connected client when another connects with its id.
    const victimId = `device-${randomUUID()}`;
    const victim = await subscribe(mosquitto, [topic], { clientId: victimId });
    let dropped = false;
    victim.client.on("close", () => (dropped = true));
    try {
      const detail = await waitForDelivery(app.url, onlyDelivery(await fireJson(callback.triggerUrl, JSON.stringify({ device: victimId }))), ["failed", "dead", "succeeded"]);
      expectContentError(detail, /config\.clientId: \{body\.device\} is request data and may not choose the MQTT connection's identity/);
      // The broker would have dropped the victim at once; a round trip on its own connection shows it is still there.
      await victim.client.publishAsync(topic, "still here", { qos: 1 });
      await victim.next(topic, (message) => message.payload === "still here");
      expect(dropped).toBe(false);
      expect(victim.messages.map((message) => message.payload)).toEqual(["still here"]);
    } finally {
      await victim.close();
    }
    expect(await getDestination(app.url, id)).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  });
});

// A read-only viewer must not find a secret in a delivery record in any encoding: the secret
// below holds a character that each encoder on the way changes (form, URLSearchParams, WHATWG
// URL, XML, JSON, header stripping, Basic's base64), and the receivers echo what they got.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, waitFor } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { startSink, type Sink } from "../../support/sink";
import { fireTrigger } from "../../support/trigger";
import { subscribe, type Subscriber } from "../../support/mqtt-subscriber";

const app = useApp();
const secretName = `ENC_SECRET_${process.pid}`;
// "Zq9" and "W7k" survive every encoding but base64, so finding either means a leak.
const secret = "Zq9 s3cr!t&<x>\"+/=é'\nW7k";
const brokerPassword = "Zq9-broker pw!&W7k";
// Too short to mask in free text: only the recorded rendering can hide it inside a word.
const shortName = `ENC_SHORT_${process.pid}`;
const shortSecret = "k7";
const received: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }> = [];

let echo: Sink;
let amqp: ChannelModel;
let channel: Channel;

beforeAll(async () => {
  echo = await startSink({
    respond: ({ path, headers, body }, response) => {
      const seen = { url: path, headers, body };
      received.push(seen);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(seen));
    },
  });
  amqp = await connect("amqp://guest:guest@127.0.0.1:5672", { noDelay: true });
  channel = await amqp.createChannel();
});
afterAll(async () => {
  await echo.close();
  await amqp.close();
});

const ref = `{secret:${secretName}}`;
const basicUser = "enc-user";

function httpDestinations() {
  return [
    httpDestination(`${echo.url}/json`, { body: `{"k":"${ref}","whole":${ref},"short":"v{secret:${shortName}}v"}`, bodyType: "json" }),
    httpDestination(`${echo.url}/form`, { body: `k=${ref}&x=1`, bodyType: "form" }),
    httpDestination(`${echo.url}/xml`, { body: `<k a="${ref}">${ref}</k>`, bodyType: "xml" }),
    httpDestination(`${echo.url}/text`, { body: `the key is ${ref}`, bodyType: "text" }),
    httpDestination(`${echo.url}/path/${ref}/end`, { headers: { "X-Key": ref }, query: { q: ref } }),
    httpDestination(`${echo.url}/basic`, { auth: { type: "basic", username: basicUser, password: ref } }),
    httpDestination(`${echo.url}/qkey`, { auth: { type: "api_key", in: "query", name: "k2", value: ref } }),
  ];
}

function brokerDestinations(topic: string, queue: string) {
  return [
    { kind: "mqtt", name: "mqtt", config: { url: "mqtt://127.0.0.1:1883", topic, qos: 1, protocolVersion: 5, password: brokerPassword, username: "u", payload: `{"k":"${ref}"}` } },
    {
      kind: "amqp",
      name: "amqp",
      config: { url: "amqp://guest:guest@127.0.0.1:5672", exchange: "", routingKey: queue, headers: { "x-key": ref }, payload: `key ${ref}`, contentType: "text/plain" },
    },
  ];
}

/** Forms of `value` the way the wire and an echo carry them, computed with the platform's own encoders. */
function encodedForms(value: string): string[] {
  const url = new URL("http://h/");
  url.pathname = `/${value}`;
  const stripped = value.replace(/[\u0000-\u001f\u007f]/g, "");
  const xml = value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
  const forms = [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2), url.pathname.slice(1), xml, stripped];
  return [...forms, ...forms.map((form) => JSON.stringify(form).slice(1, -1)), Buffer.from(`${basicUser}:${value}`).toString("base64")];
}

async function storedRows(ids: string[]): Promise<string> {
  const attempts = await app.db.selectFrom("delivery_attempts").selectAll().where("delivery_id", "in", ids).execute();
  const deliveries = await app.db.selectFrom("deliveries").selectAll().where("id", "in", ids).execute();
  expect(attempts.length).toBeGreaterThanOrEqual(ids.length);
  return JSON.stringify([attempts, deliveries]);
}

describe("secrets in every encoding", () => {
  it("reach the receivers but appear in no form in the API or the stored rows", async () => {
    expect((await call(app.url, "POST", "/api/secrets", { body: { name: secretName, value: secret } })).status).toBe(201);
    expect((await call(app.url, "POST", "/api/secrets", { body: { name: shortName, value: shortSecret } })).status).toBe(201);
    const topic = `switchyard-test/${randomUUID()}/enc`;
    const { queue } = await channel.assertQueue("", { exclusive: true, autoDelete: true });
    const consumed: ConsumeMessage[] = [];
    await channel.consume(queue, (message) => message && consumed.push(message), { noAck: true });
    const subscriber: Subscriber = await subscribe("mqtt://127.0.0.1:1883", [topic]);
    try {
      const callback = await createCallback(app.url, { name: "encodings", destinations: [...httpDestinations(), ...brokerDestinations(topic, queue)] });
      const answer = await fireTrigger(callback.triggerUrl, { body: { n: 1 } });
      expect(answer.status, answer.text).toBe(202);
      const ids = answer.deliveries.map((delivery) => delivery.id);
      const details: string[] = [];
      const recordedJson: unknown[] = [];
      for (const id of ids) {
        const detail = await waitForDelivery(app.url, id, ["succeeded", "failed", "dead"]);
        expect(detail.status, `${id}: ${detail.lastError ?? ""}`).toBe("succeeded");
        const recorded = detail.attemptsLog[0]?.request ?? {};
        if (String(recorded.url).endsWith("/json")) recordedJson.push(JSON.parse(String(recorded.body)));
        details.push((await call(app.url, "GET", `/api/deliveries/${id}`)).text);
      }
      details.push((await call(app.url, "GET", `/api/deliveries?callbackId=${callback.id}`)).text);
      // Recorded from the rendering with secrets masked: even the short one inside a word.
      expect(recordedJson).toEqual([{ k: "***", whole: "***", short: "v***v" }]);

      // The secret really went out, in the encodings under test.
      const wire = JSON.stringify(received);
      expect(JSON.parse(received.find((request) => request.url === "/json")?.body ?? "{}")).toEqual({ k: secret, whole: secret, short: `v${shortSecret}v` });
      expect(received.find((request) => request.url === "/form")?.body).toBe(`k=${new URLSearchParams({ v: secret }).toString().slice(2)}&x=1`);
      expect(wire).toContain(JSON.stringify(secret.replace(/&/g, "&amp;").replace(/</g, "&lt;")).slice(1, 12));
      expect((await subscriber.next(topic)).payload).toBe(JSON.stringify({ k: secret }));
      const message = await waitFor(async () => consumed[0], { what: "the AMQP message" });
      expect(message.content.toString("utf8")).toBe(`key ${secret}`);
      expect(message.properties.headers?.["x-key"]).toBe(secret.replace("\n", ""));

      const haystacks = { "API responses": details.join("\n"), "stored rows": await storedRows(ids) };
      for (const [where, text] of Object.entries(haystacks)) {
        expect(text, where).toContain("***");
        for (const fragment of ["Zq9", "W7k"]) {
          const at = text.indexOf(fragment);
          expect(at, `${fragment} found in ${where}: …${text.slice(Math.max(0, at - 150), at + 150)}…`).toBe(-1);
        }
        for (const form of [...encodedForms(secret), ...encodedForms(brokerPassword)]) {
          expect(text.includes(form), `${JSON.stringify(form)} found in ${where}`).toBe(false);
        }
      }
    } finally {
      await subscriber.close();
    }
  });
});

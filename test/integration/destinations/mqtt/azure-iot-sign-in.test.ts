// MQTT to Azure IoT Hub with a SAS token made from the device key for each connection, end to end
// against a stand-in hub: an embedded broker behind the stand's TLS fronts (mqtts and wss) that
// checks client id, user name and token the way IoT Hub documents them — and refuses a token
// signed with the wrong key with CONNACK "bad username or password". Also the API side: the
// sign-in is refused on schemes it does not work over, and its key is sealed and masked.
import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendMqtt } from "@/lib/destinations/mqtt/send-mqtt";
import { startMqttBroker, type EmbeddedMqttBroker } from "@/scripts/dev/mqtt-broker";
import { call, expect422 } from "../../../support/api";
import { createCallback, waitForDelivery } from "../../../support/fixtures";
import { useApp } from "../../../support/harness";
import { tlsMaterial, useTlsFront, type TlsMaterial } from "../../../support/tls-stand";
import { mqttContext } from "../../../support/broker-context";

const app = useApp();
const deviceId = "thermostat-7";
const deviceKey = Buffer.from("the-device-symmetric-key-0123456789").toString("base64");
const wrongKey = Buffer.from("some-other-device-key-9876543210").toString("base64");

interface SignIn {
  clientId: string;
  username: string;
  expiresAt: number;
  accepted: boolean;
}

/**
 * Checks a device SAS token as IoT Hub documents it (learn.microsoft.com/azure/iot-hub/
 * iot-hub-dev-guide-sas): sr is the URL-encoded `{hub}/devices/{id}`, sig the URL-encoded base64
 * HMAC-SHA256 of `{sr}\n{se}` under the base64-decoded device key, se in the future.
 */
function tokenExpiry(token: string, hub: string): number | undefined {
  const match = /^SharedAccessSignature sr=([^&]+)&sig=([^&]+)&se=(\d+)$/.exec(token);
  if (!match) return undefined;
  const [, sr = "", sig = "", se = ""] = match;
  if (sr !== encodeURIComponent(`${hub}/devices/${deviceId}`)) return undefined;
  const expected = createHmac("sha256", Buffer.from(deviceKey, "base64")).update(`${sr}\n${se}`).digest("base64");
  if (decodeURIComponent(sig) !== expected || Number(se) * 1000 <= Date.now()) return undefined;
  return Number(se);
}

let material: TlsMaterial;
let hub: EmbeddedMqttBroker;
const signIns: SignIn[] = [];
const published: Array<{ topic: string; clientId: string }> = [];

beforeAll(async () => {
  material = await tlsMaterial();
  hub = await startMqttBroker({
    port: 0,
    wsPort: 0,
    onPublish: (topic, _payload, clientId) => published.push({ topic, clientId }),
    authenticate: (client, username, password, done) => {
      const expiresAt = tokenExpiry(password?.toString() ?? "", "localhost");
      const accepted = client.id === deviceId && username === `localhost/${deviceId}/?api-version=2021-04-12` && expiresAt !== undefined;
      signIns.push({ clientId: client.id, username: username ?? "", expiresAt: expiresAt ?? 0, accepted });
      if (!accepted) return done(Object.assign(new Error("bad username or password"), { returnCode: 4 }), null);
      done(null, true);
    },
  });
});

afterAll(async () => {
  await hub?.close();
});

const mqttsFront = useTlsFront(async () => ({ target: { host: "127.0.0.1", port: hub.port }, cert: (await tlsMaterial()).server }));
const wssFront = useTlsFront(async () => ({ target: { host: "127.0.0.1", port: hub.wsPort }, cert: (await tlsMaterial()).server }));

const endpoints = () => ({ mqtts: mqttsFront().url("mqtts"), wss: wssFront().url("wss") });
const azureAuth = (key: string) => ({ type: "azure_sas", deviceId, deviceKey: key, expirySeconds: 600 });

describe.each(["mqtts", "wss"] as const)("Azure IoT Hub SAS over %s", (scheme) => {
  it("the device key signs in: client id = device id, IoT Hub's user name, a token valid for expirySeconds; nothing secret is recorded", async () => {
    const topic = `devices/${deviceId}/messages/events/${randomUUID()}`;
    const before = signIns.length;
    const outcome = await sendMqtt(mqttContext({ url: endpoints()[scheme], topic, qos: 1, tls: { ca: material.ca.cert }, auth: azureAuth(deviceKey) }));
    expect(outcome.result, outcome.error).toBe("succeeded");
    expect(published).toContainEqual({ topic, clientId: deviceId });
    const [signIn] = signIns.slice(before);
    expect(signIn).toMatchObject({ clientId: deviceId, username: `localhost/${deviceId}/?api-version=2021-04-12`, accepted: true });
    expect((signIn?.expiresAt ?? 0) - Date.now() / 1000).toBeGreaterThan(590);
    expect((signIn?.expiresAt ?? 0) - Date.now() / 1000).toBeLessThanOrEqual(600);
    const port = new URL(endpoints()[scheme]).port;
    expect(outcome.request).toMatchObject({
      broker: scheme === "wss" ? `wss://localhost:${port}/$iothub/websocket` : `mqtts://localhost:${port}`,
      clientId: deviceId,
      authentication: `azure_sas (SAS token made for each connection, device ${deviceId})`,
      tls: { ca: "custom" },
    });
    const text = JSON.stringify(outcome);
    expect(text).not.toContain(deviceKey);
    expect(text).not.toContain("SharedAccessSignature");
  });

  it("a token from the wrong key is refused (CONNACK bad username or password): permanent, and the reason names the SAS sign-in", async () => {
    const topic = `devices/${deviceId}/messages/events/${randomUUID()}`;
    const outcome = await sendMqtt(mqttContext({ url: endpoints()[scheme], topic, qos: 1, tls: { ca: material.ca.cert }, auth: azureAuth(wrongKey) }));
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toBe(
      "Broker refused the connection: bad username or password (CONNACK return code 4): IoT Hub refused the SAS token made from config.auth.deviceKey: check deviceId and deviceKey",
    );
    expect(published.map((entry) => entry.topic)).not.toContain(topic);
    expect(JSON.stringify(outcome)).not.toContain(wrongKey);
  });
});

describe("the sign-in through the operator API", () => {
  it("is refused with 422 on a scheme it does not work over, naming config.auth.type", async () => {
    const callback = await createCallback(app.url, { name: "azure-api" });
    const aws = { type: "aws_sigv4", region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "aws-secret-value-123" };
    const post = (config: Record<string, unknown>) => call(app.url, "POST", `/api/callbacks/${callback.id}/destinations`, { body: { kind: "mqtt", name: "cloud", config } });
    expect422(await post({ url: "mqtts://a1b2c3-ats.iot.eu-west-1.amazonaws.com", auth: aws }), "config.auth.type", /aws_sigv4 works over wss:\/\/ only/);
    expect422(await post({ url: "ws://myhub.azure-devices.net", auth: azureAuth(deviceKey) }), "config.auth.type", /azure_sas works over mqtts:\/\/ or wss:\/\/ only/);
  });

  it("takes the device key from a {secret:…} placeholder, but never from request data (422 on config.auth.deviceKey)", async () => {
    const secretName = `AZURE_DEVICE_KEY_${randomUUID().slice(0, 8).toUpperCase()}`;
    expect((await call(app.url, "POST", "/api/secrets", { body: { name: secretName, value: deviceKey } })).status).toBe(201);
    const topic = `devices/${deviceId}/messages/events/${randomUUID()}`;
    const url = mqttsFront().url("mqtts");
    const refused = await call(app.url, "POST", "/api/callbacks", {
      body: { name: "azure-request-key", destinations: [{ kind: "mqtt", name: "hub", config: { url, topic, tls: { ca: material.ca.cert }, auth: azureAuth("{body.key}") } }] },
    });
    expect422(refused, "destinations.0.config.auth.deviceKey", /request data/);
    const callback = await createCallback(app.url, {
      name: "azure-secret-key",
      destinations: [{ kind: "mqtt", name: "hub", config: { url, topic, qos: 1, tls: { ca: material.ca.cert }, auth: azureAuth(`{secret:${secretName}}`) } }],
    });
    const answer = await call<{ deliveries: Array<{ id: string }> }>(callback.triggerUrl, "POST", "", { body: { key: wrongKey }, token: null });
    const detail = await waitForDelivery(app.url, answer.body.deliveries[0]?.id ?? "", ["succeeded", "failed", "dead"]);
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    expect(published).toContainEqual({ topic, clientId: deviceId });
    expect(JSON.stringify(detail)).not.toContain(deviceKey);
  });

  it("keeps the device key sealed: the API shows it as ***, and after a PATCH that leaves *** the stored key still signs in", async () => {
    const topic = `devices/${deviceId}/messages/events/${randomUUID()}`;
    const config = { url: mqttsFront().url("mqtts"), topic, qos: 1, tls: { ca: material.ca.cert }, auth: azureAuth(deviceKey) };
    const callback = await createCallback(app.url, { name: "azure-sealed" });
    const created = await call<{ id: string; config: { auth: Record<string, unknown> } }>(app.url, "POST", `/api/callbacks/${callback.id}/destinations`, {
      body: { kind: "mqtt", name: "hub", config },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.config.auth).toEqual({ type: "azure_sas", deviceId, deviceKey: "***", expirySeconds: 600 });
    expect(created.text).not.toContain(deviceKey);
    const patched = await call<{ config: { auth: Record<string, unknown> } }>(app.url, "PATCH", `/api/destinations/${created.body.id}`, {
      body: { config: { auth: { ...azureAuth("***"), expirySeconds: 900 } } },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.config.auth).toEqual({ type: "azure_sas", deviceId, deviceKey: "***", expirySeconds: 900 });
    const answer = await call<{ deliveries: Array<{ id: string }> }>(callback.triggerUrl, "POST", "", { body: { on: true }, token: null });
    expect(answer.status).toBe(202);
    const detail = await waitForDelivery(app.url, answer.body.deliveries[0]?.id ?? "", ["succeeded", "failed", "dead"]);
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    expect(published).toContainEqual({ topic, clientId: deviceId });
    expect((signIns.at(-1)?.expiresAt ?? 0) - Date.now() / 1000).toBeGreaterThan(890);
    expect(JSON.stringify(detail)).not.toContain(deviceKey);
  });
});

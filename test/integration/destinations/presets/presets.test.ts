// Managed-service presets through the operator API: what a service refuses is a 422 naming the
// field with nothing written (on add, on callback create and on PATCH), the defaults land in the
// stored config, a preset on the wrong kind is refused, the listing is readable by viewers only
// when signed in, and a preset destination still delivers through a real TLS broker.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { call, expect422 } from "../../../support/api";
import { createCallback, waitForDelivery } from "../../../support/fixtures";
import { countConfigRows, useApp } from "../../../support/harness";
import { subscribe } from "../../../support/mqtt-subscriber";
import { logIn, callAs } from "../../../support/sessions";
import { tlsMaterial, useTlsMosquitto } from "../../../support/tls-stand";
import { fireTrigger, onlyDelivery } from "../../../support/trigger";

const app = useApp();
const material = await tlsMaterial();
const mosquitto = useTlsMosquitto();
const iotHost = "a1b2c3-ats.iot.eu-west-1.amazonaws.com";
const hubHost = "contoso.azure-devices.net";
const deviceKey = "c2VjcmV0LWRldmljZS1rZXktZm9yLXRlc3Rz";
const clientCert = { cert: material.client.cert, key: material.client.key };
const sigv4 = { type: "aws_sigv4", region: "eu-west-1", accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

interface DestinationView {
  id: string;
  config: Record<string, unknown>;
}

interface PresetList {
  presets: Array<{ id: string; kinds: string[]; label: string; docsUrl: string; defaults: Record<string, unknown>; rules: Record<string, Array<{ field: string; text: string }>> }>;
}

async function newCallback(): Promise<string> {
  return (await createCallback(app.url, { name: `presets-${randomUUID().slice(0, 8)}` })).id;
}

const addDestination = (callbackId: string, destination: Record<string, unknown>) =>
  call<DestinationView>(app.url, "POST", `/api/callbacks/${callbackId}/destinations`, { body: destination });

const awsMqtt = (config: Record<string, unknown>) => ({ kind: "mqtt", name: "iot core", config: { preset: "aws_iot_core", url: `mqtts://${iotHost}`, tls: clientCert, ...config } });

describe("saving with a preset", () => {
  it("refuses an AWS IoT Core destination with QoS 2: 422 on config.qos, nothing written", async () => {
    const callbackId = await newCallback();
    const before = await countConfigRows(app.db);
    expect422(await addDestination(callbackId, awsMqtt({ qos: 2 })), "config.qos", /^config\.qos: AWS IoT Core does not support QoS 2 \(MQTT 3\.1\.1 and 5 allow 0 or 1 there\)$/);
    expect(await countConfigRows(app.db)).toEqual(before);
  });

  it("names the destination's place when the callback is created with it", async () => {
    const before = await countConfigRows(app.db);
    const answer = await call(app.url, "POST", "/api/callbacks", { body: { name: "presets-create", destinations: [awsMqtt({ qos: 2 })] } });
    expect422(answer, "destinations.0.config.qos", /AWS IoT Core does not support QoS 2/);
    expect(await countConfigRows(app.db)).toEqual(before);
  });

  it("stores an AWS IoT Core destination with port 8883 and QoS 1 filled in", async () => {
    const answer = await addDestination(await newCallback(), awsMqtt({ topic: "factory/line1" }));
    expect(answer.status).toBe(201);
    expect(answer.body.config).toMatchObject({ preset: "aws_iot_core", url: `mqtts://${iotHost}:8883`, qos: 1, protocolVersion: 4, tls: { key: "***" } });
  });

  it("gives an Azure IoT Hub destination with only url and auth MQTT 3.1.1, the device's telemetry topic and QoS 1", async () => {
    const answer = await addDestination(await newCallback(), {
      kind: "mqtt",
      name: "hub",
      config: { preset: "azure_iot_hub", url: `mqtts://${hubHost}`, auth: { type: "azure_sas", deviceId: "pump-7", deviceKey } },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.config).toMatchObject({ url: `mqtts://${hubHost}:8883`, protocolVersion: 4, topic: "devices/pump-7/messages/events", qos: 1, retain: false });
    expect(JSON.stringify(answer.body)).not.toContain(deviceKey);
    const stored = await call<DestinationView>(app.url, "GET", `/api/destinations/${answer.body.id}`);
    expect(stored.body.config).toMatchObject({ topic: "devices/pump-7/messages/events", qos: 1, protocolVersion: 4 });
  });

  it("refuses a PATCH that breaks the preset and keeps the stored config", async () => {
    const created = await addDestination(await newCallback(), { kind: "mqtt", name: "iot wss", config: { preset: "aws_iot_core", url: `wss://${iotHost}`, auth: sigv4 } });
    expect(created.status).toBe(201);
    expect(created.body.config).toMatchObject({ url: `wss://${iotHost}:443/mqtt`, qos: 1, auth: { secretAccessKey: "***" } });
    expect422(await call(app.url, "PATCH", `/api/destinations/${created.body.id}`, { body: { config: { qos: 2 } } }), "config.qos", /does not support QoS 2/);
    expect((await call<DestinationView>(app.url, "GET", `/api/destinations/${created.body.id}`)).body.config.qos).toBe(1);
  });

  it("keeps a stored client key and device key across a PATCH that sends them back as ***", async () => {
    const x509 = await addDestination(await newCallback(), awsMqtt({}));
    expect(x509.body.config.tls).toMatchObject({ key: "***" });
    const patched = await call<DestinationView>(app.url, "PATCH", `/api/destinations/${x509.body.id}`, { body: { config: { qos: 0 } } });
    expect(patched.status).toBe(200);
    expect(patched.body.config).toMatchObject({ qos: 0, tls: { key: "***", cert: material.client.cert } });
    const sas = await addDestination(await newCallback(), {
      kind: "mqtt",
      name: "hub",
      config: { preset: "azure_iot_hub", url: `wss://${hubHost}`, auth: { type: "azure_sas", deviceId: "pump-7", deviceKey } },
    });
    const renamed = await call<DestinationView>(app.url, "PATCH", `/api/destinations/${sas.body.id}`, { body: { name: "pump 7" } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.config).toMatchObject({ url: `wss://${hubHost}:443/$iothub/websocket`, auth: { deviceId: "pump-7", deviceKey: "***" } });
  });

  it("refuses a preset on a kind it does not cover, on config.preset", async () => {
    const answer = await addDestination(await newCallback(), { kind: "amqp", name: "wrong", config: { preset: "azure_iot_hub", url: "amqps://u:p@example.com" } });
    expect422(answer, "config.preset", /^config\.preset: Azure IoT Hub is a preset for mqtt destinations, not amqp$/);
  });

  it("refuses an AWS IoT Core HTTPS publish with qos=2 on config.query.qos", async () => {
    const auth = { ...sigv4, service: "iotdevicegateway" };
    const answer = await addDestination(await newCallback(), { kind: "http", name: "iot https", config: { preset: "aws_iot_core", url: `https://${iotHost}/topics/t?qos=2`, auth } });
    expect422(answer, "config.query.qos", /does not support QoS 2/);
    expect(answer.text).not.toContain(auth.secretAccessKey);
  });
});

describe("GET /api/destinations/presets", () => {
  it("lists all five presets with their kinds, defaults and rules", async () => {
    const answer = await call<PresetList>(app.url, "GET", "/api/destinations/presets");
    expect(answer.status).toBe(200);
    expect(answer.body.presets.map((preset) => [preset.id, preset.kinds])).toEqual([
      ["aws_iot_core", ["mqtt", "http"]],
      ["azure_iot_hub", ["mqtt"]],
      ["hivemq_cloud", ["mqtt"]],
      ["emqx_cloud", ["mqtt"]],
      ["cloudamqp", ["amqp"]],
    ]);
    const azure = answer.body.presets.find((preset) => preset.id === "azure_iot_hub");
    expect(azure?.rules.mqtt).toContainEqual(expect.objectContaining({ field: "config.qos" }));
  });

  it("answers a signed-in viewer, and 401 without sign-in", async () => {
    const username = `presets-viewer-${randomUUID().slice(0, 8)}`;
    const password = "viewer reads the presets";
    expect((await call(app.url, "POST", "/api/operators", { body: { username, password, role: "viewer" } })).status).toBe(201);
    const { session } = await logIn(app.url, username, password);
    if (!session) throw new Error("the viewer could not sign in");
    expect((await callAs<PresetList>(app.url, session, "GET", "/api/destinations/presets")).body.presets).toHaveLength(5);
    const anonymous = await call(app.url, "GET", "/api/destinations/presets", { token: null });
    expect(anonymous.status).toBe(401);
  });
});

describe("a preset destination delivers", () => {
  it("a HiveMQ Cloud preset over wss gets the /mqtt path filled in and reaches the subscriber through the TLS broker", async () => {
    const url = mosquitto().urls.wss;
    const topic = `presets/${randomUUID()}`;
    const created = await createCallback(app.url, {
      name: "presets-delivery",
      destinations: [{ kind: "mqtt", name: "hivemq", config: { preset: "hivemq_cloud", url, username: "device", password: "s3cret", topic, tls: { ca: material.ca.cert } } }],
    });
    const stored = await call<{ destinations: DestinationView[] }>(app.url, "GET", `/api/callbacks/${created.id}`);
    expect(stored.body.destinations[0]?.config.url).toBe(`${url}/mqtt`);
    const subscriber = await subscribe(url, [topic], { ca: material.ca.cert });
    try {
      const delivery = onlyDelivery(await fireTrigger(created.triggerUrl, { body: { reading: 42 } }));
      expect((await waitForDelivery(app.url, delivery, ["succeeded", "failed", "dead"])).status).toBe("succeeded");
      expect(JSON.parse((await subscriber.next(topic)).payload)).toMatchObject({ request: { body: { reading: 42 } } });
    } finally {
      await subscriber.close();
    }
  });
});

// Managed-service presets: each fills its defaults only where the input leaves a field out (what
// the operator wrote stays), and each rule refuses what the service refuses, naming the field.
import { describe, expect, it } from "vitest";
import { destinationInputSchema } from "@/lib/destinations/destination-input";
import { checkPresetRules, listPresets } from "@/lib/destinations/presets/presets";
import { presetNames } from "@/lib/destinations/presets/preset-names";
import { AppError } from "@/lib/errors";

const pem = (label: string) => `-----BEGIN ${label}-----\nMIIB\n-----END ${label}-----\n`;
const clientCert = { cert: pem("CERTIFICATE"), key: pem("PRIVATE KEY") };
const iotHost = "a1b2c3-ats.iot.eu-west-1.amazonaws.com";
const hubHost = "contoso.azure-devices.net";
const sigv4 = { type: "aws_sigv4", region: "eu-west-1", accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

/** The config as saved: parsed (preset defaults, then schema defaults), or the first refusal. */
function save(kind: "http" | "mqtt" | "amqp", config: Record<string, unknown>): { config: Record<string, unknown> } | { field: string; message: string } {
  const parsed = destinationInputSchema.safeParse({ kind, name: "preset", config });
  if (!parsed.success) throw new Error(`schema refused: ${parsed.error.message}`);
  try {
    checkPresetRules(kind, parsed.data.config);
    return { config: parsed.data.config };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { field: String(error.field), message: error.message };
  }
}

function saved(kind: "http" | "mqtt" | "amqp", config: Record<string, unknown>): Record<string, unknown> {
  const result = save(kind, config);
  if (!("config" in result)) throw new Error(`refused: ${result.message}`);
  return result.config;
}

function refused(kind: "http" | "mqtt" | "amqp", config: Record<string, unknown>): { field: string; message: string } {
  const result = save(kind, config);
  if ("config" in result) throw new Error("saved, expected a refusal");
  return result;
}

describe("AWS IoT Core over MQTT", () => {
  const base = { preset: "aws_iot_core", url: `mqtts://${iotHost}`, topic: "factory/line1/events", tls: clientCert };

  it("fills port 8883, QoS 1 and MQTT 3.1.1 into a bare mqtts URL", () => {
    expect(saved("mqtt", base)).toMatchObject({ url: `mqtts://${iotHost}:8883`, qos: 1, protocolVersion: 4 });
  });

  it("offers ALPN x-amzn-mqtt-ca on port 443, and a URL without a port goes to 443 when the operator offered it", () => {
    expect(saved("mqtt", { ...base, url: `mqtts://${iotHost}:443` }).tls).toMatchObject({ alpnProtocols: ["x-amzn-mqtt-ca"] });
    expect(saved("mqtt", { ...base, tls: { ...clientCert, alpnProtocols: ["x-amzn-mqtt-ca"] } }).url).toBe(`mqtts://${iotHost}:443`);
  });

  it("fills wss port 443 and path /mqtt", () => {
    const config = saved("mqtt", { preset: "aws_iot_core", url: `wss://${iotHost}`, auth: sigv4 });
    expect(config.url).toBe(`wss://${iotHost}:443/mqtt`);
  });

  it("keeps what the operator wrote", () => {
    expect(saved("mqtt", { ...base, qos: 0, protocolVersion: 5, url: `mqtts://${iotHost}:8883` })).toMatchObject({ qos: 0, protocolVersion: 5, url: `mqtts://${iotHost}:8883` });
  });

  it.each([
    ["QoS 2", { ...base, qos: 2 }, "config.qos", /AWS IoT Core does not support QoS 2 \(MQTT 3\.1\.1 and 5 allow 0 or 1 there\)/],
    ["plain mqtt://", { preset: "aws_iot_core", url: `mqtt://${iotHost}`, topic: "factory/line1/events" }, "config.url", /accepts only TLS/],
    ["an unserved port", { ...base, url: `mqtts://${iotHost}:1883` }, "config.url", /port 8883, or 443 with ALPN x-amzn-mqtt-ca, not 1883/],
    ["wss on another port", { preset: "aws_iot_core", url: `wss://${iotHost}:8443/mqtt`, auth: sigv4 }, "config.url", /WebSocket on port 443, not 8443/],
    ["wss without SigV4", { preset: "aws_iot_core", url: `wss://${iotHost}` }, "config.auth", /only signed with SigV4/],
    ["mqtts without a client certificate", { preset: "aws_iot_core", url: `mqtts://${iotHost}` }, "config.tls.cert", /X\.509 client certificate/],
    ["443 without its ALPN", { ...base, url: `mqtts://${iotHost}:443`, tls: { ...clientCert, alpnProtocols: ["mqtt"] } }, "config.tls.alpnProtocols", /ALPN x-amzn-mqtt-ca/],
    ["8 slashes in the topic", { ...base, topic: "a/b/c/d/e/f/g/h/i" }, "config.topic", /at most 7 slashes \(8 levels\).*has 8/],
    ["a 257-byte topic", { ...base, topic: "t".repeat(257) }, "config.topic", /at most 256 bytes; this one has 257/],
    ["a 129-byte client id", { ...base, clientId: "c".repeat(129) }, "config.clientId", /at most 128 bytes/],
  ])("refuses %s", (_name, config, field, message) => {
    const refusal = refused("mqtt", config);
    expect(refusal.field).toBe(field);
    expect(refusal.message).toMatch(new RegExp(`^${field.replace(/\./g, "\\.")}: `));
    expect(refusal.message).toMatch(message);
  });

  it("counts neither placeholders nor the Basic Ingest prefix as topic levels", () => {
    expect(saved("mqtt", { ...base, topic: "$aws/rules/ingest/a/b/c/d/e/f/g/{body.id}" }).topic).toBe("$aws/rules/ingest/a/b/c/d/e/f/g/{body.id}");
  });
});

describe("AWS IoT Core over HTTPS", () => {
  it("fills POST, qos=1 and the SigV4 service name", () => {
    const config = saved("http", { preset: "aws_iot_core", url: `https://${iotHost}/topics/factory/line1`, auth: { ...sigv4, service: undefined } });
    expect(config).toMatchObject({ method: "POST", query: { qos: "1" }, auth: { type: "aws_sigv4", service: "iotdevicegateway" } });
  });

  it("sends a client certificate to port 8443 when the URL names no port", () => {
    expect(saved("http", { preset: "aws_iot_core", url: `https://${iotHost}/topics/t`, tls: clientCert }).url).toBe(`https://${iotHost}:8443/topics/t`);
  });

  it.each([
    ["qos=2 in the query", { url: `https://${iotHost}/topics/t`, auth: sigv4, query: { qos: "2" } }, "config.query.qos", /does not support QoS 2/],
    ["qos=2 in the URL", { url: `https://${iotHost}/topics/t?qos=2`, auth: sigv4 }, "config.query.qos", /does not support QoS 2/],
    ["a path outside /topics/", { url: `https://${iotHost}/publish/t`, auth: sigv4 }, "config.url", /must start with \/topics\//],
    ["PUT", { url: `https://${iotHost}/topics/t`, auth: sigv4, method: "PUT" }, "config.method", /POST only/],
    ["no sign-in", { url: `https://${iotHost}/topics/t` }, "config.auth", /SigV4 .* or sent with an X\.509 client certificate/],
    ["SigV4 on 8443", { url: `https://${iotHost}:8443/topics/t`, auth: sigv4 }, "config.url", /only X\.509 client certificates on port 8443/],
    ["a certificate on 443 without its ALPN", { url: `https://${iotHost}:443/topics/t`, tls: clientCert }, "config.tls.alpnProtocols", /ALPN x-amzn-http-ca/],
  ])("refuses %s", (_name, config, field, message) => {
    const refusal = refused("http", { preset: "aws_iot_core", ...config });
    expect(refusal.field).toBe(field);
    expect(refusal.message).toMatch(message);
  });
});

describe("Azure IoT Hub", () => {
  const x509 = { preset: "azure_iot_hub", url: `mqtts://${hubHost}`, clientId: "pump-7", tls: clientCert };

  it("fills port 8883, MQTT 3.1.1, QoS 1, no retain, the telemetry topic and the username for an X.509 device", () => {
    expect(saved("mqtt", x509)).toMatchObject({
      url: `mqtts://${hubHost}:8883`,
      protocolVersion: 4,
      qos: 1,
      retain: false,
      topic: "devices/pump-7/messages/events",
      username: `${hubHost}/pump-7/?api-version=2021-04-12`,
    });
  });

  it("fills the telemetry topic from a SAS sign-in's device and leaves the client id and username to the sign-in", () => {
    const config = saved("mqtt", { preset: "azure_iot_hub", url: `mqtts://${hubHost}`, auth: { type: "azure_sas", deviceId: "pump-7", deviceKey: "c2VjcmV0LWRldmljZS1rZXk=" } });
    expect(config).toMatchObject({ protocolVersion: 4, qos: 1, topic: "devices/pump-7/messages/events" });
    expect(config.clientId).toBeUndefined();
    expect(config.username).toBeUndefined();
  });

  it("fills wss port 443 and path /$iothub/websocket", () => {
    expect(saved("mqtt", { ...x509, url: `wss://${hubHost}` }).url).toBe(`wss://${hubHost}:443/$iothub/websocket`);
  });

  it("keeps a topic with a property bag", () => {
    expect(saved("mqtt", { ...x509, topic: "devices/pump-7/messages/events/$.ct=application%2Fjson" }).topic).toBe("devices/pump-7/messages/events/$.ct=application%2Fjson");
  });

  it.each([
    ["QoS 2", { qos: 2 }, "config.qos", /does not support QoS 2/],
    ["MQTT 5", { protocolVersion: 5 }, "config.protocolVersion", /MQTT 3\.1\.1 \(protocolVersion 4\)/],
    ["retain", { retain: true }, "config.retain", /does not keep retained messages/],
    ["another topic", { topic: "telemetry/pump-7" }, "config.topic", /only on devices\/pump-7\/messages\/events /],
    ["another device's topic", { topic: "devices/pump-8/messages/events" }, "config.topic", /only on devices\/pump-7\/messages\/events /],
    ["a topic that only starts alike", { topic: "devices/pump-7/messages/events2" }, "config.topic", /only on devices\/pump-7\/messages\/events /],
    ["no client id", { clientId: undefined }, "config.clientId", /client id/],
    ["plain mqtt://", { url: `mqtt://${hubHost}`, tls: undefined }, "config.url", /accepts only TLS/],
    ["another WebSocket path", { url: `wss://${hubHost}/mqtt` }, "config.url", /at the path \/\$iothub\/websocket/],
    ["no sign-in", { tls: undefined }, "config.auth", /SAS token or X\.509 certificate/],
  ])("refuses %s", (_name, change, field, message) => {
    const refusal = refused("mqtt", { ...x509, ...change });
    expect(refusal.field).toBe(field);
    expect(refusal.message).toMatch(message);
  });
});

describe("HiveMQ Cloud, EMQX Cloud and CloudAMQP", () => {
  it("fill their ports and WebSocket paths", () => {
    const hivemq = { preset: "hivemq_cloud", username: "u", password: "p" };
    expect(saved("mqtt", { ...hivemq, url: "mqtts://abc.s1.eu.hivemq.cloud" }).url).toBe("mqtts://abc.s1.eu.hivemq.cloud:8883");
    expect(saved("mqtt", { ...hivemq, url: "wss://abc.s1.eu.hivemq.cloud" }).url).toBe("wss://abc.s1.eu.hivemq.cloud:8884/mqtt");
    const emqx = { preset: "emqx_cloud", username: "u", password: "p" };
    expect(saved("mqtt", { ...emqx, url: "wss://x1.ala.eu-central-1.emqxsl.com" }).url).toBe("wss://x1.ala.eu-central-1.emqxsl.com:8084/mqtt");
    expect(saved("amqp", { preset: "cloudamqp", url: "amqps://kxyz:secret@rat.rmq2.cloudamqp.com" }).url).toBe("amqps://kxyz:secret@rat.rmq2.cloudamqp.com:5671/kxyz");
  });

  it("keep a vhost the URL names", () => {
    expect(saved("amqp", { preset: "cloudamqp", url: "amqps://kxyz:secret@rat.rmq2.cloudamqp.com/other" }).url).toBe("amqps://kxyz:secret@rat.rmq2.cloudamqp.com:5671/other");
  });

  it.each([
    ["HiveMQ Cloud over plain mqtt://", "mqtt", { preset: "hivemq_cloud", url: "mqtt://abc.hivemq.cloud", username: "u", password: "p" }, "config.url", /accepts only TLS/],
    ["HiveMQ Cloud without credentials", "mqtt", { preset: "hivemq_cloud", url: "mqtts://abc.hivemq.cloud" }, "config.username", /no anonymous clients/],
    ["EMQX Cloud without credentials", "mqtt", { preset: "emqx_cloud", url: "mqtts://x1.emqxsl.com" }, "config.username", /no anonymous clients/],
    ["CloudAMQP over plain amqp://", "amqp", { preset: "cloudamqp", url: "amqp://kxyz:secret@rat.rmq2.cloudamqp.com/kxyz" }, "config.url", /connects over TLS/],
    ["CloudAMQP without a user", "amqp", { preset: "cloudamqp", url: "amqps://rat.rmq2.cloudamqp.com/kxyz" }, "config.url", /no anonymous clients/],
  ] as const)("refuse %s", (_name, kind, config, field, message) => {
    const refusal = refused(kind, config);
    expect(refusal.field).toBe(field);
    expect(refusal.message).toMatch(message);
  });
});

describe("presets on the wrong kind and the listing", () => {
  it("refuses a preset on a kind it does not cover, naming config.preset", () => {
    expect(refused("amqp", { preset: "aws_iot_core", url: "amqps://u:p@example.com" })).toEqual({
      field: "config.preset",
      message: "config.preset: AWS IoT Core is a preset for mqtt and http destinations, not amqp",
    });
    expect(refused("mqtt", { preset: "cloudamqp", url: "mqtts://example.com" }).field).toBe("config.preset");
  });

  it("prefixes the field of a destination inside a callback body", () => {
    const parsed = destinationInputSchema.parse({ kind: "mqtt", name: "x", config: { preset: "aws_iot_core", url: `mqtts://${iotHost}`, tls: clientCert, qos: 2 } });
    expect(() => checkPresetRules("mqtt", parsed.config, "destinations.3.")).toThrow(/^destinations\.3\.config\.qos: /);
  });

  it("lists all five presets with their kinds, defaults and rules", () => {
    const listed = listPresets();
    expect(listed.map((preset) => preset.id)).toEqual([...presetNames]);
    const aws = listed.find((preset) => preset.id === "aws_iot_core");
    expect(aws?.kinds).toEqual(["mqtt", "http"]);
    expect(aws?.defaults.mqtt).toMatchObject({ qos: 1, wsPath: "/mqtt" });
    expect(aws?.rules.mqtt).toContainEqual(expect.objectContaining({ field: "config.qos", source: expect.stringContaining("docs.aws.amazon.com") }));
    for (const preset of listed) for (const rules of Object.values(preset.rules)) for (const rule of rules) expect(rule.source).toMatch(/^https:\/\//);
  });
});

// Azure IoT Hub's device endpoint: MQTT 3.1.1 over mqtts (8883) or WebSocket (443,
// /$iothub/websocket), client id = device id, username <hub>/<device>/?api-version=…, telemetry on
// devices/<device>/messages/events, QoS 0 or 1, no retained messages.
import type { KindPreset, LooseConfig, PresetDefinition, PresetRule } from "@/lib/destinations/presets/preset-types";
import { azureIotHubApiVersion as apiVersion, azureIotHubWebSocketPath as websocketPath } from "@/lib/destinations/cloud/azure-sas";
import { checkUrl, effectivePort, hasClientCertificate, isAbsent, textField, urlParts, withDefaultPath, withDefaultPort } from "@/lib/destinations/presets/config-reading";

const label = "Azure IoT Hub";
// Ports, TLS only, CONNECT fields, the telemetry topic, QoS 2 closing the connection, RETAIN not kept.
const mqttDoc = "https://learn.microsoft.com/azure/iot/iot-mqtt-connect-to-iot-hub";
// MQTT 5 only on hubs created in preview mode, now deprecated.
const mqtt5Doc = "https://learn.microsoft.com/azure/iot/iot-mqtt-5-preview";

/** The device this destination signs in as: the SAS auth's device, else the client id. */
function deviceIdOf(config: LooseConfig): string | undefined {
  return textField(config, "auth", "deviceId") ?? textField(config, "clientId");
}

const signsWithSas = (config: LooseConfig) => textField(config, "auth", "type") === "azure_sas";

// Microsoft writes the topic as devices/<id>/messages/events/ (with a trailing slash), but IoT Hub
// ignores a trailing slash on telemetry topics (https://github.com/Azure/iotedge/pull/76), and
// this project's topic templates refuse an empty last level. So the default has none, and a
// property bag after the slash is still accepted.
const telemetryTopic = (deviceId: string) => `devices/${deviceId}/messages/events`;
const isTelemetryTopic = (topic: string, deviceId: string) => topic === telemetryTopic(deviceId) || topic.startsWith(`${telemetryTopic(deviceId)}/`);

function fillMqtt(config: LooseConfig): LooseConfig {
  const filled: LooseConfig = { ...config };
  if (isAbsent(config, "protocolVersion")) filled.protocolVersion = 4;
  if (isAbsent(config, "qos")) filled.qos = 1;
  if (isAbsent(config, "retain")) filled.retain = false;
  const deviceId = deviceIdOf(config);
  // SAS sign-in sends the device id as client id itself (and refuses one written beside it).
  if (deviceId !== undefined && isAbsent(config, "clientId") && !signsWithSas(config)) filled.clientId = deviceId;
  if (deviceId !== undefined && isAbsent(config, "topic")) filled.topic = telemetryTopic(deviceId);
  const url = textField(config, "url");
  const parts = urlParts(url);
  if (url && parts?.scheme === "mqtts") filled.url = withDefaultPort(url, 8883);
  if (url && parts?.scheme === "wss") filled.url = withDefaultPath(withDefaultPort(url, 443), websocketPath);
  // X.509 devices still send the hub and device in the username; SAS sign-in writes its own at connect.
  const host = parts?.host;
  if (host && deviceId !== undefined && isAbsent(config, "username") && !signsWithSas(config)) {
    filled.username = `${host}/${deviceId}/?api-version=${apiVersion}`;
  }
  return filled;
}

const rules: PresetRule[] = [
  {
    field: "url",
    text: `TLS only: mqtts:// on 8883, or wss:// on 443 with path ${websocketPath}`,
    source: mqttDoc,
    check: checkUrl((parts) => {
      if (parts.scheme !== "mqtts" && parts.scheme !== "wss") return `${label} accepts only TLS: use mqtts:// (port 8883) or wss:// (port 443), not ${parts.scheme}://`;
      const port = effectivePort(parts);
      if (parts.scheme === "mqtts" && port !== 8883) return `${label} serves MQTT on port 8883, not ${String(port)}`;
      if (parts.scheme === "wss" && port !== 443) return `${label} serves MQTT over WebSocket on port 443, not ${String(port)}`;
      if (parts.scheme === "wss" && parts.path !== websocketPath) return `${label} serves MQTT over WebSocket at the path ${websocketPath}`;
      return undefined;
    }),
  },
  {
    field: "protocolVersion",
    text: "MQTT 3.1.1 (protocolVersion 4); MQTT 5 exists only on hubs created in preview mode and is deprecated",
    source: mqtt5Doc,
    check: (config) => (config.protocolVersion === 5 ? `${label} speaks MQTT 3.1.1 (protocolVersion 4); its MQTT 5 support is a deprecated preview` : undefined),
  },
  {
    field: "qos",
    text: "QoS 0 or 1; a QoS 2 publish closes the connection",
    source: mqttDoc,
    check: (config) => (config.qos === 2 ? `${label} does not support QoS 2 (it closes the connection); use 0 or 1` : undefined),
  },
  {
    field: "retain",
    text: "no retained messages: IoT Hub does not keep them",
    source: mqttDoc,
    check: (config) => (config.retain === true ? `${label} does not keep retained messages (it passes the flag on as an mqtt-retain property); set retain to false` : undefined),
  },
  {
    field: "clientId",
    text: "the client id is the device id",
    source: mqttDoc,
    check(config) {
      if (signsWithSas(config) || textField(config, "clientId") !== undefined) return undefined;
      return `${label} identifies the device by the client id: set config.clientId to the device id, or use config.auth {"type": "azure_sas", "deviceId", …}`;
    },
  },
  {
    field: "topic",
    text: "telemetry goes to devices/<device id>/messages/events, optionally followed by /<property bag>",
    source: mqttDoc,
    check(config) {
      const deviceId = deviceIdOf(config);
      const topic = textField(config, "topic");
      if (deviceId === undefined || topic === undefined || isTelemetryTopic(topic, deviceId)) return undefined;
      return `${label} takes device telemetry only on devices/${deviceId}/messages/events (a /<property bag> may follow)`;
    },
  },
  {
    field: "auth",
    text: 'sign-in by SAS token from the device key (config.auth {type: "azure_sas", deviceId, deviceKey}) or by X.509 client certificate',
    source: mqttDoc,
    check(config) {
      if (textField(config, "auth", "type") === "azure_sas" || hasClientCertificate(config)) return undefined;
      return `${label} signs devices in by SAS token or X.509 certificate: add config.auth {"type": "azure_sas", "deviceId", "deviceKey"} or config.tls.cert and config.tls.key`;
    },
  },
];

const mqtt: KindPreset = {
  defaults: {
    protocolVersion: 4,
    qos: 1,
    retain: false,
    ports: { mqtts: 8883, wss: 443 },
    wsPath: websocketPath,
    clientId: "<device id>",
    topic: "devices/<device id>/messages/events",
    username: `<hub host>/<device id>/?api-version=${apiVersion} (X.509 sign-in)`,
  },
  fill: fillMqtt,
  rules,
};

export const azureIotHubPreset: PresetDefinition = {
  id: "azure_iot_hub",
  label,
  description: "Send device-to-cloud telemetry to an Azure IoT hub over MQTT 3.1.1, signed in with a SAS token or an X.509 certificate.",
  docsUrl: mqttDoc,
  kinds: { mqtt },
};

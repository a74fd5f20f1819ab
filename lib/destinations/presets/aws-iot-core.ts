// AWS IoT Core: MQTT over mqtts (X.509 client certificate, port 8883, or 443 with ALPN
// x-amzn-mqtt-ca) or wss (SigV4, port 443, path /mqtt), and the HTTPS publish API
// (POST /topics/<topic>?qos=1; SigV4 on 443 or a client certificate on 8443).
import type { KindPreset, LooseConfig, PresetDefinition, PresetRule } from "@/lib/destinations/presets/preset-types";
import { awsIotSigningService, awsIotWebSocketPath } from "@/lib/destinations/cloud/aws-iot-websocket";
import {
  alpnProtocols,
  byteLength,
  checkUrl,
  effectivePort,
  field,
  hasClientCertificate,
  isAbsent,
  literalText,
  textField,
  urlParts,
  withDefaultPath,
  withDefaultPort,
  withTls,
} from "@/lib/destinations/presets/config-reading";

const label = "AWS IoT Core";
// Ports, ALPN names and which sign-in each port takes.
const protocolsDoc = "https://docs.aws.amazon.com/iot/latest/developerguide/protocols.html";
// "AWS IoT Core supports MQTT Quality of Service (QoS) levels 0 and 1 only."
const mqttDoc = "https://docs.aws.amazon.com/iot/latest/developerguide/mqtt.html";
// Topic ≤ 256 bytes and ≤ 7 slashes (the $aws/rules/<rule>/ prefix not counted), client id ≤ 128 bytes,
// payload ≤ 128 KB. The same limits as the AWS IoT Device SDK's AwsIotCoreDefaults validation
// (https://aws.github.io/aws-iot-device-sdk-js-v2/node/enums/mqtt5.ClientExtendedValidationAndFlowControl.html).
const quotasDoc = "https://docs.aws.amazon.com/general/latest/gr/iot-core.html#message-broker-limits";
// POST https://<endpoint>/topics/<url-encoded topic>?qos=1
const httpsDoc = "https://docs.aws.amazon.com/iot/latest/developerguide/http.html";

const mqttAlpn = "x-amzn-mqtt-ca";
const httpAlpn = "x-amzn-http-ca";
const maxTopicSlashes = 7;
const maxTopicBytes = 256;
const maxClientIdBytes = 128;

const hasSigV4 = (config: LooseConfig) => textField(config, "auth", "type") === "aws_sigv4";

/** mqtts on 443 is X.509 only when the client offers ALPN x-amzn-mqtt-ca. */
function fillMqtt(config: LooseConfig): LooseConfig {
  let filled: LooseConfig = { ...config };
  if (isAbsent(config, "qos")) filled.qos = 1;
  if (isAbsent(config, "protocolVersion")) filled.protocolVersion = 4;
  const url = textField(config, "url");
  const parts = urlParts(url);
  if (!url || !parts) return filled;
  if (parts.scheme === "wss") filled.url = withDefaultPath(withDefaultPort(url, 443), awsIotWebSocketPath);
  if (parts.scheme === "mqtts") {
    const offersAlpn = alpnProtocols(config)?.includes(mqttAlpn) ?? false;
    filled.url = withDefaultPort(url, offersAlpn ? 443 : 8883);
    if (parts.port === 443 && alpnProtocols(config) === undefined) filled = withTls(filled, "alpnProtocols", [mqttAlpn]);
  }
  return filled;
}

/** Topic levels past the Basic Ingest prefix, which AWS does not count. */
function topicSlashes(topic: string): number {
  const counted = topic.replace(/^\$aws\/rules\/[^/]*\//, "");
  return (literalText(counted).match(/\//g) ?? []).length;
}

const mqttRules: PresetRule[] = [
  {
    field: "url",
    text: "TLS only: mqtts:// on 8883 (or 443 with ALPN x-amzn-mqtt-ca) with a client certificate, or wss:// on 443 signed with SigV4",
    source: protocolsDoc,
    check: checkUrl((parts) => {
      if (parts.scheme !== "mqtts" && parts.scheme !== "wss") return `${label} accepts only TLS: use mqtts:// (X.509 client certificate) or wss:// (SigV4), not ${parts.scheme}://`;
      const port = effectivePort(parts);
      if (parts.scheme === "mqtts" && port !== 8883 && port !== 443) return `${label} serves mqtts:// on port 8883, or 443 with ALPN ${mqttAlpn}, not ${String(port)}`;
      if (parts.scheme === "wss" && port !== 443) return `${label} serves MQTT over WebSocket on port 443, not ${String(port)}`;
      return undefined;
    }),
  },
  {
    field: "qos",
    text: "QoS 0 or 1; QoS 2 is not supported",
    source: `${mqttDoc}#mqtt-differences`,
    check: (config) => (config.qos === 2 ? `${label} does not support QoS 2 (MQTT 3.1.1 and 5 allow 0 or 1 there)` : undefined),
  },
  {
    field: "auth",
    text: 'wss:// signs each connection with config.auth {type: "aws_sigv4", region, accessKeyId, secretAccessKey}',
    source: protocolsDoc,
    check(config) {
      if (urlParts(config.url)?.scheme !== "wss" || hasSigV4(config)) return undefined;
      return `${label} takes MQTT over WebSocket only signed with SigV4: add config.auth {"type": "aws_sigv4", "region", "accessKeyId", "secretAccessKey"}`;
    },
  },
  {
    field: "tls.cert",
    text: "mqtts:// signs in with an X.509 client certificate registered with AWS IoT (config.tls.cert and config.tls.key)",
    source: protocolsDoc,
    check(config) {
      if (urlParts(config.url)?.scheme !== "mqtts" || hasClientCertificate(config)) return undefined;
      return `${label} signs in mqtts:// clients by X.509 client certificate: add config.tls.cert and config.tls.key, or use wss:// with SigV4`;
    },
  },
  {
    field: "tls.alpnProtocols",
    text: `mqtts:// on port 443 offers ALPN ${mqttAlpn}`,
    source: protocolsDoc,
    check: checkUrl((parts, config) => {
      if (parts.scheme !== "mqtts" || effectivePort(parts) !== 443 || alpnProtocols(config)?.includes(mqttAlpn)) return undefined;
      return `${label} takes X.509 sign-in on port 443 only with ALPN ${mqttAlpn}: add it to config.tls.alpnProtocols, or use port 8883`;
    }),
  },
  {
    field: "topic",
    text: `topic at most ${maxTopicBytes} bytes with at most ${maxTopicSlashes} slashes (a $aws/rules/<rule>/ prefix not counted)`,
    source: quotasDoc,
    check(config) {
      const topic = textField(config, "topic");
      if (topic === undefined) return undefined;
      if (topicSlashes(topic) > maxTopicSlashes) return `${label} allows at most ${maxTopicSlashes} slashes (8 levels) in a topic; this one has ${topicSlashes(topic)}`;
      const bytes = byteLength(literalText(topic));
      if (bytes > maxTopicBytes) return `${label} allows topics of at most ${maxTopicBytes} bytes; this one has ${bytes} before any placeholder is filled in`;
      return undefined;
    },
  },
  {
    field: "clientId",
    text: `client id at most ${maxClientIdBytes} bytes`,
    source: quotasDoc,
    check(config) {
      const clientId = textField(config, "clientId");
      if (clientId === undefined || byteLength(literalText(clientId)) <= maxClientIdBytes) return undefined;
      return `${label} allows client ids of at most ${maxClientIdBytes} bytes`;
    },
  },
];

const mqtt: KindPreset = {
  defaults: { qos: 1, protocolVersion: 4, ports: { mqtts: 8883, "mqtts with ALPN x-amzn-mqtt-ca": 443, wss: 443 }, wsPath: awsIotWebSocketPath, alpnOnPort443: [mqttAlpn] },
  fill: fillMqtt,
  rules: mqttRules,
};

function queryQos(config: LooseConfig): unknown {
  const fromQuery = field(config, "query", "qos");
  if (fromQuery !== undefined) return fromQuery;
  const url = textField(config, "url");
  return url ? (/[?&]qos=([^&#]*)/.exec(url)?.[1] ?? undefined) : undefined;
}

function fillHttp(config: LooseConfig): LooseConfig {
  const filled: LooseConfig = { ...config };
  if (isAbsent(config, "method")) filled.method = "POST";
  if (queryQos(config) === undefined) {
    const query = field(config, "query");
    filled.query = { ...(typeof query === "object" && query !== null ? query : {}), qos: "1" };
  }
  const url = textField(config, "url");
  const certOn8443 = hasClientCertificate(config) && !hasSigV4(config) && !(alpnProtocols(config)?.includes(httpAlpn) ?? false);
  if (url && certOn8443) filled.url = withDefaultPort(url, 8443);
  if (hasSigV4(config) && textField(config, "auth", "service") === undefined) filled.auth = { ...(config.auth as LooseConfig), service: awsIotSigningService };
  return filled;
}

const httpRules: PresetRule[] = [
  {
    field: "url",
    text: "POST https://<endpoint>/topics/<topic>, on 443 (SigV4, or a client certificate with ALPN x-amzn-http-ca) or 8443 (client certificate)",
    source: httpsDoc,
    check: checkUrl((parts, config) => {
      if (parts.scheme !== "https") return `${label} publishes over HTTPS only, not ${parts.scheme}://`;
      if (!parts.path.startsWith("/topics/")) return `${label} publishes to https://<endpoint>/topics/<topic>?qos=1: the path must start with /topics/`;
      const port = effectivePort(parts);
      if (port !== 443 && port !== 8443) return `${label} serves HTTPS publish on port 443 or 8443, not ${String(port)}`;
      if (port === 8443 && !hasClientCertificate(config))
        return `${label} takes only X.509 client certificates on port 8443: add config.tls.cert and config.tls.key, or use port 443 with SigV4`;
      return undefined;
    }),
  },
  {
    field: "method",
    text: "POST only",
    source: httpsDoc,
    check: (config) => (config.method !== undefined && config.method !== "POST" ? `${label} publishes with POST only` : undefined),
  },
  {
    field: "query.qos",
    text: "qos=0 or qos=1",
    source: `${mqttDoc}#mqtt-differences`,
    check(config) {
      const qos = queryQos(config);
      return qos === undefined || qos === "0" || qos === "1" ? undefined : `${label} does not support QoS 2 (MQTT 3.1.1 and 5 allow 0 or 1 there); use qos=0 or qos=1`;
    },
  },
  {
    field: "auth",
    text: 'config.auth {type: "aws_sigv4", service: "iotdevicegateway"} on 443, or a client certificate in config.tls',
    source: protocolsDoc,
    check(config) {
      if (hasSigV4(config) || hasClientCertificate(config)) return undefined;
      return `${label} takes HTTPS publishes signed with SigV4 (config.auth {"type": "aws_sigv4", …}) or sent with an X.509 client certificate (config.tls.cert and config.tls.key)`;
    },
  },
  {
    field: "tls.alpnProtocols",
    text: `a client certificate on port 443 offers ALPN ${httpAlpn}`,
    source: protocolsDoc,
    check: checkUrl((parts, config) => {
      if (hasSigV4(config) || !hasClientCertificate(config) || effectivePort(parts) !== 443 || alpnProtocols(config)?.includes(httpAlpn)) return undefined;
      return `${label} takes X.509 client certificates on port 443 only with ALPN ${httpAlpn}: add it to config.tls.alpnProtocols, or use port 8443`;
    }),
  },
];

const http: KindPreset = {
  defaults: { method: "POST", query: { qos: "1" }, ports: { sigv4: 443, "client certificate": 8443 }, "auth.service": awsIotSigningService },
  fill: fillHttp,
  rules: httpRules,
};

export const awsIotCorePreset: PresetDefinition = {
  id: "aws_iot_core",
  label,
  description: "Publish to AWS IoT Core over MQTT (X.509 client certificate or SigV4 over WebSocket) or its HTTPS publish API.",
  docsUrl: protocolsDoc,
  kinds: { mqtt, http },
};

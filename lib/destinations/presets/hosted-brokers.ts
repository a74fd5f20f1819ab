// Hosted brokers that speak standard MQTT and AMQP and differ only in ports, paths and sign-in:
// HiveMQ Cloud, EMQX Cloud and CloudAMQP.
import type { KindPreset, LooseConfig, PresetDefinition, PresetRule } from "@/lib/destinations/presets/preset-types";
import { checkUrl, effectivePort, hasClientCertificate, textField, urlParts, withDefaultPath, withDefaultPort } from "@/lib/destinations/presets/config-reading";

interface MqttPorts {
  mqtts: number;
  wss: number;
  wsPath: string;
}

function fillMqttPorts(config: LooseConfig, ports: MqttPorts): LooseConfig {
  const url = textField(config, "url");
  const scheme = urlParts(url)?.scheme;
  if (!url) return config;
  if (scheme === "mqtts") return { ...config, url: withDefaultPort(url, ports.mqtts) };
  if (scheme === "wss") return { ...config, url: withDefaultPath(withDefaultPort(url, ports.wss), ports.wsPath) };
  return config;
}

/** A hosted MQTT broker: its ports and WebSocket path filled in where the URL names none. */
function hostedMqttPreset({ ports, rules, ...preset }: Omit<PresetDefinition, "kinds"> & { ports: MqttPorts; rules: PresetRule[] }): PresetDefinition {
  const mqtt: KindPreset = {
    defaults: { ports: { mqtts: ports.mqtts, wss: ports.wss }, wsPath: ports.wsPath },
    fill: (config) => fillMqttPorts(config, ports),
    rules,
  };
  return { ...preset, kinds: { mqtt } };
}

const hasUrlUsername = (config: LooseConfig) => (urlParts(config.url)?.username ?? "") !== "";
const hasUsername = (config: LooseConfig) => textField(config, "username") !== undefined || hasUrlUsername(config);

function credentialsRule(label: string, source: string): PresetRule {
  return {
    field: "username",
    text: "a username and password (the broker's access credentials); no anonymous access",
    source,
    check(config) {
      if (hasUsername(config) || hasClientCertificate(config)) return undefined;
      return `${label} allows no anonymous clients: set config.username and config.password to one of its access credentials`;
    },
  };
}

// HiveMQ Cloud: its documentation was not among the stored pages this preset could be checked
// against, so mqtts 8883, wss 8884 /mqtt, TLS only and required credentials are unverified here.
const hivemqDoc = "https://docs.hivemq.com/hivemq-cloud/";
const hivemqLabel = "HiveMQ Cloud";

export const hivemqCloudPreset = hostedMqttPreset({
  id: "hivemq_cloud",
  label: hivemqLabel,
  description: "Publish to a HiveMQ Cloud cluster over TLS with one of its access credentials.",
  docsUrl: hivemqDoc,
  ports: { mqtts: 8883, wss: 8884, wsPath: "/mqtt" },
  rules: [
    {
      field: "url",
      text: "TLS only: mqtts:// on 8883 or wss:// on 8884 with path /mqtt",
      source: hivemqDoc,
      check: checkUrl((parts) => {
        if (parts.scheme === "mqtts" || parts.scheme === "wss") return undefined;
        return `${hivemqLabel} accepts only TLS: use mqtts:// (port 8883) or wss:// (port 8884, path /mqtt), not ${parts.scheme}://`;
      }),
    },
    credentialsRule(hivemqLabel, hivemqDoc),
  ],
});

// EMQX Cloud: Serverless takes TLS only (mqtts 8883, wss 8084) and no anonymous access; Dedicated
// also opens plain ports, so plain URLs are not refused here.
const emqxPortsDoc = "https://docs.emqx.com/en/cloud/latest/deployments/port_guide_serverless.html";
const emqxQuotasDoc = "https://docs.emqx.com/en/cloud/latest/create/restriction.html";
const emqxLabel = "EMQX Cloud";

export const emqxCloudPreset = hostedMqttPreset({
  id: "emqx_cloud",
  label: emqxLabel,
  description: "Publish to an EMQX Cloud deployment (Serverless takes TLS only: mqtts 8883, wss 8084) with its default authentication.",
  docsUrl: emqxPortsDoc,
  ports: { mqtts: 8883, wss: 8084, wsPath: "/mqtt" },
  rules: [credentialsRule(emqxLabel, emqxQuotasDoc)],
});

// CloudAMQP: amqps:// on 5671 (the amqps default in the RabbitMQ URI spec) and a virtual host named
// after the user; its documentation was not among the stored pages, so the vhost default is
// unverified here and only fills a URL that names none.
const cloudamqpDoc = "https://www.cloudamqp.com/docs/index.html";
const amqpUriDoc = "https://www.rabbitmq.com/docs/uri-spec";
const cloudamqpLabel = "CloudAMQP";

function fillCloudamqp(config: LooseConfig): LooseConfig {
  const url = textField(config, "url");
  const parts = urlParts(url);
  if (!url || parts?.scheme !== "amqps") return config;
  const withPort = withDefaultPort(url, 5671);
  const vhost = parts.username === "" ? undefined : `/${encodeURIComponent(parts.username)}`;
  return { ...config, url: vhost ? withDefaultPath(withPort, vhost) : withPort };
}

const cloudamqpAmqp: KindPreset = {
  defaults: { port: 5671, vhost: "<user name> (the shared plans' virtual host)" },
  fill: fillCloudamqp,
  rules: [
    {
      field: "url",
      text: "amqps:// (port 5671) with the instance's user and password in the URL",
      source: amqpUriDoc,
      check: checkUrl((parts) => {
        if (parts.scheme !== "amqps") return `the ${cloudamqpLabel} preset connects over TLS: use amqps:// (port 5671), not ${parts.scheme}://`;
        if (effectivePort(parts) !== 5671) return `${cloudamqpLabel} serves amqps:// on port 5671, not ${String(effectivePort(parts))}`;
        if (!parts.hasUserinfo || parts.username === "")
          return `${cloudamqpLabel} allows no anonymous clients: write the instance's user and password into the URL (amqps://user:password@host/vhost)`;
        return undefined;
      }),
    },
  ],
};

export const cloudamqpPreset: PresetDefinition = {
  id: "cloudamqp",
  label: cloudamqpLabel,
  description: "Publish to a CloudAMQP (hosted RabbitMQ) instance over amqps://, into the virtual host named after its user unless the URL names another.",
  docsUrl: cloudamqpDoc,
  kinds: { amqp: cloudamqpAmqp },
};

// AWS IoT Core's X.509 sign-in on port 443 needs ALPN "x-amzn-mqtt-ca": tls.alpnProtocols must
// reach the server's handshake. A loopback TLS server requiring the stand's client certificate
// records the protocol it negotiated and pipes to the machine's Mosquitto; one that speaks only
// another protocol makes the handshake fail, permanently.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendMqtt } from "@/lib/destinations/mqtt/send-mqtt";
import { withSubscriber } from "../../../support/mqtt-subscriber";
import { tlsMaterial, type TlsMaterial } from "../../../support/tls-stand";
import { startTlsFront, type TlsFront } from "@/scripts/brokers/tls/tls-front";
import { mqttContext } from "../../../support/broker-context";

/** A front requiring the stand's client certificate and speaking only `protocols`, piped to the machine's Mosquitto. */
const startAlpnServer = (material: TlsMaterial, protocols: string[]) =>
  startTlsFront({ target: { host: "127.0.0.1", port: 1883 }, cert: material.server, requestCert: true, ca: material.ca.cert, alpnProtocols: protocols });

let material: TlsMaterial;
let iotCore: TlsFront;
let otherProtocol: TlsFront;

beforeAll(async () => {
  material = await tlsMaterial();
  iotCore = await startAlpnServer(material, ["x-amzn-mqtt-ca"]);
  otherProtocol = await startAlpnServer(material, ["mqtt"]);
});

afterAll(async () => {
  await Promise.all([iotCore?.stop(), otherProtocol?.stop()]);
});

const x509 = () => ({ ca: material.ca.cert, cert: material.client.cert, key: material.client.key, alpnProtocols: ["x-amzn-mqtt-ca"] });

describe("mqtts with tls.alpnProtocols (AWS IoT Core, X.509 on port 443)", () => {
  it("offers x-amzn-mqtt-ca in the handshake, the server selects it, and the message arrives; the attempt records the ALPN list", async () => {
    const topic = `switchyard-test/${randomUUID()}/alpn`;
    await withSubscriber("mqtt://127.0.0.1:1883", [topic], async (subscriber) => {
      const outcome = await sendMqtt(mqttContext({ url: `mqtts://localhost:${iotCore.port}`, topic, qos: 1, tls: x509() }));
      expect(outcome.result, outcome.error).toBe("succeeded");
      expect(iotCore.negotiated).toEqual(["x-amzn-mqtt-ca"]);
      await subscriber.next(topic);
      expect(outcome.request).toMatchObject({
        tls: { ca: "custom", alpnProtocols: ["x-amzn-mqtt-ca"], clientCertificate: { subject: expect.stringContaining("switchyard-test-client") as unknown } },
      });
    });
  });

  it("a server that accepts none of the offered protocols fails the handshake: permanent, naming ALPN", async () => {
    const outcome = await sendMqtt(mqttContext({ url: `mqtts://localhost:${otherProtocol.port}`, topic: "switchyard-test/alpn-refused", qos: 1, tls: x509() }));
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toMatch(/^TLS: the server accepts none of the ALPN protocols in tls\.alpnProtocols/);
    expect(otherProtocol.negotiated).toEqual([]);
  });
});

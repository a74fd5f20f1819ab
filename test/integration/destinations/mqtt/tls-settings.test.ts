// How an MQTT destination's TLS settings shape its connections, against the stand's TLS Mosquitto:
// insecureSkipVerify works (and is recorded) in development and is refused in production, a
// handshake that never finishes is a retryable timeout, and a pooled connection is shared only by
// destinations with the same TLS settings (client certificate).
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { mqttConnectionPool, sendMqtt } from "@/lib/destinations/mqtt/send-mqtt";
import { subscribe } from "../../../support/mqtt-subscriber";
import { tlsMaterial, useTlsMosquitto, type TlsMaterial } from "../../../support/tls-stand";
import { mqttContext } from "../../../support/broker-context";
import { startSilentServer } from "../../../support/silent-server";

const deployment = vi.hoisted(() => ({ production: false }));

vi.mock("@/lib/env", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/env")>();
  return { ...actual, getEnv: () => ({ ...actual.getEnv(), production: deployment.production }) };
});

const stand = useTlsMosquitto();
let material: TlsMaterial;

beforeAll(async () => {
  material = await tlsMaterial();
});

afterEach(async () => {
  deployment.production = false;
  await mqttConnectionPool.closeAll();
});

afterAll(async () => {
  await mqttConnectionPool.closeAll();
});

describe("tls.insecureSkipVerify", () => {
  it("in development it connects to a server no configured CA vouches for, and every attempt records that verification was off", async () => {
    const topic = `switchyard-test/${randomUUID()}/insecure`;
    const subscriber = await subscribe(stand().urls.mqtts, [topic], { ca: material.ca.cert });
    try {
      const outcome = await sendMqtt(mqttContext({ url: stand().urls.mqtts, topic, qos: 1, tls: { insecureSkipVerify: true } }));
      expect(outcome.result, outcome.error).toBe("succeeded");
      expect(outcome.request).toMatchObject({ tls: { ca: "system", insecureSkipVerify: true } });
      await subscriber.next(topic);
    } finally {
      await subscriber.close();
    }
  });

  it("in production it is refused before connecting: permanent, with the reason", async () => {
    deployment.production = true;
    const outcome = await sendMqtt(mqttContext({ url: stand().urls.mqtts, topic: "switchyard-test/insecure-prod", qos: 1, tls: { insecureSkipVerify: true } }));
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toMatch(/^tls\.insecureSkipVerify is refused in production/);
    expect(outcome.response).toBeNull();
    expect(outcome.request).toMatchObject({ tls: { insecureSkipVerify: true } });
  });
});

describe("a TLS handshake that never finishes", () => {
  it.each(["mqtts", "wss"])("%s: times out within timeoutMs and stays retryable", async (scheme) => {
    const silent = await startSilentServer();
    try {
      const started = performance.now();
      const outcome = await sendMqtt(mqttContext({ url: `${scheme}://localhost:${silent.port}/mqtt`, topic: "switchyard-test/tls-slow", timeoutMs: 300, tls: { ca: material.ca.cert } }));
      expect(outcome.result).toBe("retryable");
      expect(outcome.error).toMatch(/^Timed out: connect timed out/);
      expect(silent.connections).toBe(1);
      expect(performance.now() - started).toBeLessThan(1_500);
    } finally {
      await silent.close();
    }
  });
});

describe("reuseConnection with TLS", () => {
  it("destinations with different client certificates never share a pooled connection; the same settings do", async () => {
    const url = stand().urls.mqttsClientCert;
    const plain = { ca: material.ca.cert, cert: material.client.cert, key: material.client.key };
    const encrypted = { ca: material.ca.cert, cert: material.clientEncrypted.cert, key: material.clientEncrypted.key, passphrase: material.clientEncrypted.passphrase };
    const send = (tls: Record<string, unknown>) => sendMqtt(mqttContext({ url, topic: "switchyard-test/tls-pool", qos: 1, reuseConnection: true, tls }));
    const first = await send(plain);
    const other = await send(encrypted);
    const again = await send(plain);
    expect([first.result, other.result, again.result]).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect([first.response?.connection, other.response?.connection, again.response?.connection]).toEqual(["new", "new", "reused"]);
    expect(mqttConnectionPool.size()).toBe(2);
    expect(again.request.clientId).toBe(first.request.clientId);
    expect(other.request.clientId).not.toBe(first.request.clientId);
  });
});

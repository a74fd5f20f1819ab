// MQTT over TLS end to end (trigger → QStash → /api/deliver → the stand's TLS Mosquitto →
// subscriber), for mqtts and wss: the right CA delivers, a wrong CA and a missing client
// certificate fail permanently with the TLS reason, a client certificate (plain or with an
// encrypted key) delivers, and the log shows the TLS settings but never the key or passphrase.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../../support/api";
import { createCallback, waitForDelivery, type DeliveryDetail } from "../../../support/fixtures";
import { useApp } from "../../../support/harness";
import { subscribe, type Subscriber } from "../../../support/mqtt-subscriber";
import { tlsMaterial, useTlsMosquitto, type TlsMaterial } from "../../../support/tls-stand";

const app = useApp();
const stand = useTlsMosquitto();

let material: TlsMaterial;
let subscriber: Subscriber;
const prefix = `switchyard-test/${randomUUID()}`;

beforeAll(async () => {
  material = await tlsMaterial();
  subscriber = await subscribe(stand().urls.mqtts, [`${prefix}/#`], { ca: material.ca.cert });
});

afterAll(async () => {
  await subscriber?.close();
});

type Case = "rightCa" | "wrongCa" | "missingCert" | "clientCert" | "encryptedKey";

function destinations(transport: "mqtts" | "wss"): Array<{ name: Case; config: Record<string, unknown> }> {
  const { urls } = stand();
  const path = transport === "wss" ? "/mqtt" : "";
  const plain = `${transport === "wss" ? urls.wss : urls.mqtts}${path}`;
  const requiresCert = `${transport === "wss" ? urls.wssClientCert : urls.mqttsClientCert}${path}`;
  const ca = material.ca.cert;
  const { client, clientEncrypted } = material;
  const cases: Array<[Case, string, Record<string, unknown>]> = [
    ["rightCa", plain, { ca }],
    ["wrongCa", plain, { ca: material.otherCa.cert }],
    ["missingCert", requiresCert, { ca }],
    ["clientCert", requiresCert, { ca, cert: client.cert, key: client.key }],
    ["encryptedKey", requiresCert, { ca, cert: clientEncrypted.cert, key: clientEncrypted.key, passphrase: clientEncrypted.passphrase }],
  ];
  return cases.map(([name, url, tls]) => ({ name, config: { url, topic: `${prefix}/${transport}/${name}`, qos: 1, tls } }));
}

/** One callback with the five destinations, one trigger: each delivery's final detail by case. */
async function deliverAll(transport: "mqtts" | "wss"): Promise<Record<Case, DeliveryDetail>> {
  const planned = destinations(transport);
  const callback = await createCallback(app.url, { name: `mqtt-tls-${transport}`, destinations: planned.map(({ name, config }) => ({ kind: "mqtt", name, config })) });
  const answer = await call<{ deliveries: Array<{ id: string; destinationId: string }> }>(callback.triggerUrl, "POST", "", { body: { door: "open" }, token: null });
  expect(answer.status).toBe(202);
  const byDestination = new Map(answer.body.deliveries.map((delivery) => [delivery.destinationId, delivery.id]));
  const entries = await Promise.all(
    planned.map(async ({ name }, index) => {
      const deliveryId = byDestination.get(callback.destinations[index]?.id ?? "") ?? "";
      return [name, await waitForDelivery(app.url, deliveryId, ["succeeded", "failed", "dead"])] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<Case, DeliveryDetail>;
}

describe.each(["mqtts", "wss"] as const)("MQTT over TLS through the pipeline: %s", (transport) => {
  let results: Record<Case, DeliveryDetail>;

  beforeAll(async () => {
    results = await deliverAll(transport);
  });

  it("right CA: delivered, and the subscriber got the message; the attempt records tls.ca custom", async () => {
    const detail = results.rightCa;
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    const message = await subscriber.next(`${prefix}/${transport}/rightCa`);
    expect(JSON.parse(message.payload)).toMatchObject({ deliveryId: detail.id, request: { body: { door: "open" } } });
    expect(detail.attemptsLog[0]?.request).toMatchObject({ tls: { ca: "custom" } });
  });

  it("wrong CA: failed permanently after one attempt, the reason says the server's certificate is not trusted", () => {
    const detail = results.wrongCa;
    expect(detail.status).not.toBe("succeeded");
    expect(detail.attempts).toBe(1);
    expect(detail.attemptsLog[0]?.outcome).toBe("permanent");
    expect(detail.lastError).toMatch(/^TLS: the server's certificate is not trusted .*set tls\.ca/);
    expect(subscriber.messages.map((message) => message.topic)).not.toContain(`${prefix}/${transport}/wrongCa`);
  });

  it("client certificate required but not configured: failed permanently, the reason says a client certificate is required", () => {
    const detail = results.missingCert;
    expect(detail.status).not.toBe("succeeded");
    expect(detail.attempts).toBe(1);
    expect(detail.attemptsLog[0]?.outcome).toBe("permanent");
    expect(detail.lastError).toMatch(/^TLS: the server requires a client certificate/);
    expect(subscriber.messages.map((message) => message.topic)).not.toContain(`${prefix}/${transport}/missingCert`);
  });

  it("client certificate present: delivered; the attempt records its subject, never the key", async () => {
    const detail = results.clientCert;
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    await subscriber.next(`${prefix}/${transport}/clientCert`);
    const tls = detail.attemptsLog[0]?.request.tls as { ca: string; clientCertificate: { subject: string; expiresAt: string } };
    expect(tls.ca).toBe("custom");
    expect(tls.clientCertificate.subject).toContain("CN=switchyard-test-client");
    expect(Date.parse(tls.clientCertificate.expiresAt)).toBeGreaterThan(Date.now());
    const keyLine = material.client.key.split("\n")[1] ?? "";
    expect(keyLine.length).toBeGreaterThan(20);
    expect(JSON.stringify(detail)).not.toContain(keyLine);
    expect(JSON.stringify(detail)).not.toContain("PRIVATE KEY");
  });

  it("encrypted client key with its passphrase: delivered, and neither key nor passphrase is recorded", async () => {
    const detail = results.encryptedKey;
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    await subscriber.next(`${prefix}/${transport}/encryptedKey`);
    const text = JSON.stringify(detail);
    expect(text).not.toContain(material.clientEncrypted.passphrase);
    expect(text).not.toContain(material.clientEncrypted.key.split("\n")[2] ?? "-");
    expect(detail.attemptsLog[0]?.request).toMatchObject({ tls: { ca: "custom", clientCertificate: { subject: expect.stringContaining("switchyard-test-client") as unknown } } });
  });
});

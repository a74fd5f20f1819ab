// AMQP over TLS (amqps) end to end: trigger → QStash → delivery → a TLS front on loopback in
// front of RabbitMQ → the consumer. Right CA delivers; a wrong CA or a missing client
// certificate (where the front requires one) fails at once with the TLS reason; a client
// certificate where required delivers. Pooled connections are keyed by their TLS settings.
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, expect422, waitFor } from "../../../support/api";
import { createCallback, waitForDelivery, type DeliveryDetail } from "../../../support/fixtures";
import { useApp } from "../../../support/harness";
import { fireTrigger, onlyDelivery } from "../../../support/trigger";
import { tlsMaterial, useTlsFront } from "../../../support/tls-stand";

const app = useApp();
const rabbit = { host: "127.0.0.1", port: 5672 };
const front = useTlsFront(async () => ({ target: rabbit, cert: (await tlsMaterial()).server }));
const clientCertFront = useTlsFront(async () => {
  const material = await tlsMaterial();
  return { target: rabbit, cert: material.server, requestCert: true, ca: material.ca.cert };
});
/** Its certificate names other.example only. */
const otherNameFront = useTlsFront(async () => ({ target: rabbit, cert: (await tlsMaterial()).wrongHostServer }));

let admin: ChannelModel;
let channel: Channel;
beforeAll(async () => {
  admin = await connect(`amqp://guest:guest@${rabbit.host}:${rabbit.port}`);
  channel = await admin.createChannel();
});
afterAll(async () => {
  await admin?.close();
});

/** An exclusive queue and what arrives on it. */
async function consumer(): Promise<{ queue: string; received: ConsumeMessage[] }> {
  const { queue } = await channel.assertQueue("", { exclusive: true, autoDelete: true });
  const received: ConsumeMessage[] = [];
  await channel.consume(queue, (message) => message && received.push(message), { noAck: true });
  return { queue, received };
}

async function deliver(name: string, url: string, queue: string, tls: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<{ detail: DeliveryDetail; deliveryId: string }> {
  const callback = await createCallback(app.url, { name, retries: 0, destinations: [{ kind: "amqp", name, config: { url, exchange: "", routingKey: queue, tls, ...extra } }] });
  const deliveryId = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: { order: name } }));
  return { detail: await waitForDelivery(app.url, deliveryId, ["succeeded", "failed", "dead"]), deliveryId };
}

describe("amqps through a TLS front", () => {
  it("right CA: the consumer gets the message; the log records the TLS settings and no password", async () => {
    const { ca } = await tlsMaterial();
    const { queue, received } = await consumer();
    const { detail, deliveryId } = await deliver("amqps-ok", front().url("amqps").replace("amqps://", "amqps://guest:guest@"), queue, { ca: ca.cert });
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    const message = await waitFor(async () => received[0], { what: "the AMQP message" });
    expect(message.properties.messageId).toBe(deliveryId);
    expect(JSON.parse(message.content.toString())).toMatchObject({ deliveryId, request: { body: { order: "amqps-ok" } } });
    expect(detail.attemptsLog[0]?.request).toMatchObject({ broker: `amqps://localhost:${front().port}`, tls: { ca: "custom" } });
    expect(JSON.stringify(detail)).not.toContain("guest:guest");
  });

  it("wrong CA: failed at once with the TLS reason, and nothing reached the queue", async () => {
    const { otherCa } = await tlsMaterial();
    const { queue, received } = await consumer();
    const { detail } = await deliver("amqps-wrong-ca", front().url("amqps").replace("amqps://", "amqps://guest:guest@"), queue, { ca: otherCa.cert });
    expect(detail.status).toBe("failed");
    expect(detail.attempts).toBe(1);
    expect(detail.lastError).toMatch(/^TLS: the server's certificate is not trusted .*set tls\.ca/);
    expect(received).toEqual([]);
  });

  it("a front that requires a client certificate: missing → failed naming it", async () => {
    const { ca } = await tlsMaterial();
    const { queue, received } = await consumer();
    const { detail } = await deliver("amqps-no-cert", clientCertFront().url("amqps").replace("amqps://", "amqps://guest:guest@"), queue, { ca: ca.cert });
    expect(detail.status).toBe("failed");
    expect(detail.attempts).toBe(1);
    expect(detail.lastError).toMatch(/^TLS: the server requires a client certificate; set tls\.cert and tls\.key/);
    expect(received).toEqual([]);
  });

  it("a front that requires a client certificate: present (encrypted key) → delivered, the log shows its subject and no key", async () => {
    const { ca, clientEncrypted } = await tlsMaterial();
    const { queue, received } = await consumer();
    const tls = { ca: ca.cert, cert: clientEncrypted.cert, key: clientEncrypted.key, passphrase: clientEncrypted.passphrase };
    const { detail, deliveryId } = await deliver("amqps-cert", clientCertFront().url("amqps").replace("amqps://", "amqps://guest:guest@"), queue, tls);
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    expect((await waitFor(async () => received[0], { what: "the AMQP message" })).properties.messageId).toBe(deliveryId);
    expect(detail.attemptsLog[0]?.request.tls).toMatchObject({ ca: "custom", clientCertificate: { subject: expect.stringContaining("CN=") as unknown } });
    const logged = JSON.stringify(detail);
    expect(logged).not.toContain(clientEncrypted.passphrase);
    expect(logged).not.toContain("PRIVATE KEY");
  });

  it("reuseConnection: a pooled connection with the right certificate is not reused for a destination without one", async () => {
    const { ca, client } = await tlsMaterial();
    const url = clientCertFront().url("amqps").replace("amqps://", "amqps://guest:guest@");
    const withCert = await consumer();
    const first = await deliver("amqps-pooled-cert", url, withCert.queue, { ca: ca.cert, cert: client.cert, key: client.key }, { reuseConnection: true });
    expect(first.detail.status, first.detail.lastError ?? "").toBe("succeeded");
    const without = await consumer();
    const second = await deliver("amqps-pooled-no-cert", url, without.queue, { ca: ca.cert }, { reuseConnection: true });
    expect(second.detail.status).toBe("failed");
    expect(second.detail.lastError).toMatch(/^TLS: the server requires a client certificate; set tls\.cert and tls\.key/);
    expect(without.received).toEqual([]);
  });

  it("a certificate for another name: failed with the hostname reason; tls.servername set to that name delivers", async () => {
    const { ca } = await tlsMaterial();
    const url = otherNameFront().url("amqps").replace("amqps://", "amqps://guest:guest@");
    const mismatch = await consumer();
    const refused = await deliver("amqps-wrong-name", url, mismatch.queue, { ca: ca.cert });
    expect(refused.detail.status).toBe("failed");
    expect(refused.detail.lastError).toMatch(/^TLS: the server's certificate is not for this host name/);
    const named = await consumer();
    const accepted = await deliver("amqps-servername", url, named.queue, { ca: ca.cert, servername: "other.example" });
    expect(accepted.detail.status, accepted.detail.lastError ?? "").toBe("succeeded");
    expect((await waitFor(async () => named.received[0], { what: "the AMQP message" })).properties.messageId).toBe(accepted.deliveryId);
    expect(accepted.detail.attemptsLog[0]?.request.tls).toEqual({ ca: "custom", servername: "other.example" });
  });

  it("amqps:// to RabbitMQ's plain-text port: failed, the reason says the port does not speak TLS", async () => {
    const { queue, received } = await consumer();
    const { detail } = await deliver("amqps-plain-port", `amqps://guest:guest@localhost:${rabbit.port}`, queue, {});
    expect(detail.status).toBe("failed");
    expect(detail.attempts).toBe(1);
    expect(detail.lastError).toMatch(/^TLS: the server does not speak TLS on this port/);
    expect(received).toEqual([]);
  });

  it("tls on a plain amqp:// URL, where it would go unused, is a 422 naming config.tls", async () => {
    const destination = { kind: "amqp", name: "plain", config: { url: "amqp://guest:guest@localhost:5672", tls: { ca: (await tlsMaterial()).ca.cert } } };
    expect422(await call(app.url, "POST", "/api/callbacks", { body: { name: "amqp-plain-tls", destinations: [destination] } }), "destinations.0.config.tls", /is used over amqps:\/\/ only/);
  });
});

// HTTP destinations with a private CA and a client certificate (mTLS), end to end: trigger →
// QStash → delivery → an HTTPS sink that requires client certificates. What the sink saw, what
// the operator reads (status, reason, the recorded TLS settings, never the key), and the 422s
// the API answers for TLS material that could never connect.
import { describe, expect, it } from "vitest";
import { call, expect422 } from "../../../support/api";
import { createCallback, httpDestination, waitForDelivery, type DeliveryDetail } from "../../../support/fixtures";
import { countConfigRows, useApp } from "../../../support/harness";
import { fireTrigger, onlyDelivery } from "../../../support/trigger";
import { tlsMaterial, useHttpsSink } from "../../../support/tls-stand";

const app = useApp();
const sink = useHttpsSink(async () => {
  const material = await tlsMaterial();
  return { cert: material.server, ca: material.ca.cert, requireClientCert: true };
});

/** Its certificate names other.example only; it asks for no client certificate. */
const otherNameSink = useHttpsSink(async () => {
  const material = await tlsMaterial();
  return { cert: material.wrongHostServer, ca: material.ca.cert, requireClientCert: false };
});

async function deliverOnce(name: string, tls: Record<string, unknown>): Promise<{ detail: DeliveryDetail; deliveryId: string }> {
  const callback = await createCallback(app.url, { name, retries: 0, destinations: [httpDestination(`${sink().url}/${name}`, { tls })] });
  const deliveryId = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: { n: 1 } }));
  return { detail: await waitForDelivery(app.url, deliveryId, ["succeeded", "failed", "dead"]), deliveryId };
}

const seenBy = (deliveryId: string) => sink().received.find((request) => request.headers["webhook-id"] === deliveryId);

describe("HTTPS destination with a client certificate", () => {
  it("right CA and client certificate: delivered, the sink saw the certificate's subject, the log records the settings and no key", async () => {
    const { ca, client } = await tlsMaterial();
    const { detail, deliveryId } = await deliverOnce("mtls-ok", { ca: ca.cert, cert: client.cert, key: client.key });
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    expect(seenBy(deliveryId)?.clientCertSubject).toContain("CN=switchyard-test-client");
    expect(detail.attemptsLog[0]?.request.tls).toMatchObject({ ca: "custom", clientCertificate: { subject: expect.stringContaining("CN=switchyard-test-client") as unknown } });
    expect(JSON.stringify(detail)).not.toContain("PRIVATE KEY");
  });

  it("encrypted key with its passphrase: delivered, and the passphrase is nowhere in the log", async () => {
    const { ca, clientEncrypted } = await tlsMaterial();
    const { detail, deliveryId } = await deliverOnce("mtls-encrypted", { ca: ca.cert, cert: clientEncrypted.cert, key: clientEncrypted.key, passphrase: clientEncrypted.passphrase });
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    expect(seenBy(deliveryId)?.clientCertSubject).toContain("CN=");
    expect(JSON.stringify(detail)).not.toContain(clientEncrypted.passphrase);
  });

  it("wrong CA: failed at once with the TLS reason, never a network error, and nothing reached the sink", async () => {
    const { otherCa, client } = await tlsMaterial();
    const { detail, deliveryId } = await deliverOnce("mtls-wrong-ca", { ca: otherCa.cert, cert: client.cert, key: client.key });
    expect(detail.status).toBe("failed");
    expect(detail.attempts).toBe(1);
    expect(detail.lastError).toMatch(/^TLS: the server's certificate is not trusted .*set tls\.ca/);
    expect(seenBy(deliveryId)).toBeUndefined();
  });

  it("client certificate missing: failed, the reason names the required client certificate", async () => {
    const { ca } = await tlsMaterial();
    const { detail, deliveryId } = await deliverOnce("mtls-no-cert", { ca: ca.cert });
    expect(detail.status).toBe("failed");
    expect(detail.lastError).toMatch(/^TLS: the server requires a client certificate; set tls\.cert and tls\.key/);
    expect(detail.attemptsLog[0]?.request.tls).toEqual({ ca: "custom" });
    expect(seenBy(deliveryId)).toBeUndefined();
  });

  it("insecureSkipVerify (development only): delivered without the CA, and the attempt records that verification was off", async () => {
    const { client } = await tlsMaterial();
    const { detail, deliveryId } = await deliverOnce("mtls-insecure", { cert: client.cert, key: client.key, insecureSkipVerify: true });
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    expect(seenBy(deliveryId)?.clientCertSubject).toContain("CN=switchyard-test-client");
    expect(detail.attemptsLog[0]?.request.tls).toMatchObject({ ca: "system", insecureSkipVerify: true });
  });

  it("no tls object: the system CAs do not know the private CA, a TLS failure too", async () => {
    const callback = await createCallback(app.url, { name: "mtls-system-ca", retries: 0, destinations: [httpDestination(`${sink().url}/system`)] });
    const detail = await waitForDelivery(app.url, onlyDelivery(await fireTrigger(callback.triggerUrl, { body: {} })), ["succeeded", "failed", "dead"]);
    expect(detail.status).toBe("failed");
    expect(detail.lastError).toMatch(/^TLS: the server's certificate is not trusted/);
    expect(detail.attemptsLog[0]?.request.tls).toBeUndefined();
  });
});

describe("HTTPS destination whose certificate names another host", () => {
  async function deliverTo(name: string, tls: Record<string, unknown>) {
    const callback = await createCallback(app.url, { name, retries: 0, destinations: [httpDestination(`${otherNameSink().url}/${name}`, { tls })] });
    return waitForDelivery(app.url, onlyDelivery(await fireTrigger(callback.triggerUrl, { body: {} })), ["succeeded", "failed", "dead"]);
  }

  it("without tls.servername: failed with the hostname reason", async () => {
    const detail = await deliverTo("name-mismatch", { ca: (await tlsMaterial()).ca.cert });
    expect(detail.status).toBe("failed");
    expect(detail.lastError).toMatch(/^TLS: the server's certificate is not for this host name; .*set tls\.servername/);
  });

  it("with tls.servername naming it: delivered, and the attempt records the name", async () => {
    const detail = await deliverTo("name-override", { ca: (await tlsMaterial()).ca.cert, servername: "other.example" });
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    expect(detail.attemptsLog[0]?.request.tls).toEqual({ ca: "custom", servername: "other.example" });
  });
});

describe("TLS material the API refuses (422, nothing written)", () => {
  const save = (tls: Record<string, unknown>) =>
    call(app.url, "POST", "/api/callbacks", { body: { name: "refused-tls", destinations: [httpDestination("https://localhost:1/x", { tls })] } });

  it.each([
    ["a CA that does not parse", async () => ({ ca: "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----" }), "config.tls.ca", /is not a certificate that parses/],
    [
      "a key that is not the certificate's",
      async () => ({ cert: (await tlsMaterial()).client.cert, key: (await tlsMaterial()).foreignClient.key }),
      "config.tls.key",
      /does not belong to the client certificate/,
    ],
    [
      "a wrong passphrase",
      async () => ({ cert: (await tlsMaterial()).clientEncrypted.cert, key: (await tlsMaterial()).clientEncrypted.key, passphrase: "not-it" }),
      "config.tls.passphrase",
      /does not open the private key/,
    ],
    [
      "an encrypted key without passphrase",
      async () => ({ cert: (await tlsMaterial()).clientEncrypted.cert, key: (await tlsMaterial()).clientEncrypted.key }),
      "config.tls.passphrase",
      /give its passphrase/,
    ],
    ["an expired client certificate", async () => ({ cert: (await tlsMaterial()).expiredClient.cert, key: (await tlsMaterial()).expiredClient.key }), "config.tls.cert", /expired on/],
    ["a certificate without its key", async () => ({ cert: (await tlsMaterial()).client.cert }), "config.tls.key", /needs its private key/],
  ])("%s", async (_, tls, field, message) => {
    const before = await countConfigRows(app.db);
    const answer = await save(await tls());
    expect422(answer, `destinations.0.${field}`, message);
    expect(answer.text).not.toContain("PRIVATE KEY");
    expect(await countConfigRows(app.db)).toEqual(before);
  });

  it("tls on a plain http:// URL, where it would go unused", async () => {
    const answer = await call(app.url, "POST", "/api/callbacks", {
      body: { name: "plain-tls", destinations: [httpDestination("http://localhost:1/x", { tls: { ca: (await tlsMaterial()).ca.cert } })] },
    });
    expect422(answer, "destinations.0.config.tls", /is used over https:\/\/ only/);
  });

  it("a saved key and passphrase come back only as the mask", async () => {
    const { ca, clientEncrypted } = await tlsMaterial();
    const tls = { ca: ca.cert, cert: clientEncrypted.cert, key: clientEncrypted.key, passphrase: clientEncrypted.passphrase };
    const created = await createCallback(app.url, { name: "masked-tls", destinations: [httpDestination("https://localhost:1/x", { tls })] });
    const shown = await call<{ config: { tls: Record<string, unknown> } }>(app.url, "GET", `/api/destinations/${created.destinations[0]?.id ?? ""}`);
    expect(shown.body.config.tls).toMatchObject({ key: "***", passphrase: "***", cert: clientEncrypted.cert });
    expect(shown.text).not.toContain(clientEncrypted.passphrase);
  });
});

// The TLS stand is what the TLS tests take it for: raw clients (mqtt.js, amqplib, node:tls,
// node:https) against its Mosquitto, TLS front and HTTPS sink connect with the right CA and
// client certificate and fail otherwise. Each real failure also goes through tlsFailure(), the
// classifier every sender consults first: this is where its tables meet errors from real peers.
import { randomUUID } from "node:crypto";
import https from "node:https";
import tls from "node:tls";
import { connect as connectAmqp } from "amqplib";
import { connectAsync, type IClientOptions } from "mqtt";
import { describe, expect, it } from "vitest";
import { tlsFailure } from "@/lib/destinations/tls/errors";
import { useSink } from "../../../support/sink";
import { subscribe } from "../../../support/mqtt-subscriber";
import { tlsMaterial, useHttpsSink, useTlsFront, useTlsMosquitto, type KeyPair } from "../../../support/tls-stand";

const material = await tlsMaterial();
const mosquitto = useTlsMosquitto();
const rabbitFront = useTlsFront({ target: { host: "127.0.0.1", port: 5672 }, cert: material.server });
const rabbitFrontClientCert = useTlsFront({ target: { host: "127.0.0.1", port: 5672 }, cert: material.server, requestCert: true, ca: material.ca.cert });
const alpnFront = useTlsFront({ target: { host: "127.0.0.1", port: 5672 }, cert: material.server, alpnProtocols: ["x-amzn-mqtt-ca"] });
const wrongHostSink = useHttpsSink({ cert: material.wrongHostServer, ca: material.ca.cert, requireClientCert: false });
const expiredSink = useHttpsSink({ cert: material.expiredServer, ca: material.ca.cert, requireClientCert: false });
const mtlsSink = useHttpsSink({ cert: material.server, ca: material.ca.cert, requireClientCert: true });
const plainHttp = useSink();

const trustStand = { ca: material.ca.cert };
const trustOther = { ca: material.otherCa.cert };
const withCert = (pair: KeyPair) => ({ cert: pair.cert, key: pair.key });
// mqtt.js passes every TLS option through to node:tls, but its type does not name `passphrase`.
const withEncryptedCert = (passphrase: string): IClientOptions & { passphrase: string } => ({ ...withCert(material.clientEncrypted), passphrase });

async function mqttError(url: string, options: IClientOptions): Promise<Error & { code?: string }> {
  const attempt = connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5_000, ...options });
  const outcome = await attempt.then(
    async (client) => {
      await client.endAsync(true);
      return undefined;
    },
    (error: Error) => error,
  );
  if (!outcome) throw new Error(`${url} accepted a connection the test expected it to refuse`);
  return outcome;
}

async function mqttRoundTrip(url: string, options: IClientOptions): Promise<string> {
  const topic = `stand/${randomUUID()}`;
  const subscriber = await subscribe(url, [topic], options);
  try {
    const publisher = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5_000, ...options });
    await publisher.publishAsync(topic, "over TLS", { qos: 1 });
    await publisher.endAsync();
    return (await subscriber.next(topic)).payload;
  } finally {
    await subscriber.close();
  }
}

function tlsError(options: tls.ConnectionOptions): Promise<Error & { code?: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "localhost", ...options });
    socket.once("secureConnect", () => {
      socket.destroy();
      reject(new Error("the handshake succeeded where the test expected it to fail"));
    });
    socket.once("error", resolve);
  });
}

interface HttpsAnswer {
  status?: number;
  error?: Error & { code?: string };
}

function postHttps(url: string, options: https.RequestOptions): Promise<HttpsAnswer> {
  return new Promise((resolve) => {
    const request = https.request(`${url}/hook`, { method: "POST", agent: false, ...options }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode }));
    });
    request.on("error", (error) => resolve({ error }));
    request.end(JSON.stringify({ hello: "mtls" }));
  });
}

describe("the TLS Mosquitto (mqtts)", () => {
  it("delivers a message to a client that trusts the stand's CA", async () => {
    expect(await mqttRoundTrip(mosquitto().urls.mqtts, trustStand)).toBe("over TLS");
  });

  it("is refused by a client trusting another CA: unknown issuer, permanent", async () => {
    const error = await mqttError(mosquitto().urls.mqtts, trustOther);
    expect(error.code).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    expect(tlsFailure(error)).toEqual({ result: "permanent", error: expect.stringMatching(/^TLS: the server's certificate is not trusted \(unknown issuer\); set tls\.ca/) });
  });

  it("is refused by a client with the system CAs only (a private CA must be named)", async () => {
    const error = await mqttError(mosquitto().urls.mqtts, {});
    expect(tlsFailure(error)?.error).toMatch(/^TLS: the server's certificate is not trusted/);
  });

  it("requires a client certificate on its client-cert listener and says so", async () => {
    const error = await mqttError(mosquitto().urls.mqttsClientCert, trustStand);
    expect(error.code).toBe("ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED");
    expect(tlsFailure(error)).toEqual({ result: "permanent", error: expect.stringMatching(/^TLS: the server requires a client certificate; set tls\.cert and tls\.key/) });
  });

  it("accepts the stand's client certificate, also with an encrypted key and its passphrase", async () => {
    expect(await mqttRoundTrip(mosquitto().urls.mqttsClientCert, { ...trustStand, ...withCert(material.client) })).toBe("over TLS");
    const encrypted = material.clientEncrypted;
    expect(await mqttRoundTrip(mosquitto().urls.mqttsClientCert, { ...trustStand, ...withEncryptedCert(encrypted.passphrase) })).toBe("over TLS");
  });

  it("refuses a client certificate from another CA: unknown CA alert, permanent", async () => {
    const error = await mqttError(mosquitto().urls.mqttsClientCert, { ...trustStand, ...withCert(material.foreignClient) });
    expect(error.code).toBe("ERR_SSL_TLSV1_ALERT_UNKNOWN_CA");
    expect(tlsFailure(error)).toEqual({ result: "permanent", error: expect.stringMatching(/^TLS: the server refused the client certificate \(its issuer is unknown to the server\)/) });
  });

  it("refuses an expired client certificate: certificate expired alert, permanent", async () => {
    const error = await mqttError(mosquitto().urls.mqttsClientCert, { ...trustStand, ...withCert(material.expiredClient) });
    expect(error.code).toBe("ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED");
    expect(tlsFailure(error)).toEqual({ result: "permanent", error: expect.stringMatching(/^TLS: the server refused the client certificate \(expired\)/) });
  });

  it("cannot be reached with a wrong passphrase: the key does not open, permanent", async () => {
    const error = await mqttError(mosquitto().urls.mqttsClientCert, { ...trustStand, ...withEncryptedCert("not the passphrase") });
    expect(tlsFailure(error)).toEqual({ result: "permanent", error: expect.stringMatching(/^TLS: the client key could not be used \(wrong or missing passphrase/) });
  });
});

describe("the TLS Mosquitto (wss)", () => {
  it("delivers a message to a client that trusts the stand's CA", async () => {
    expect(await mqttRoundTrip(mosquitto().urls.wss, trustStand)).toBe("over TLS");
  });

  it("is refused by a client trusting another CA: unknown issuer, permanent", async () => {
    const error = await mqttError(mosquitto().urls.wss, trustOther);
    expect(error.code).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    expect(tlsFailure(error)?.error).toMatch(/^TLS: the server's certificate is not trusted \(unknown issuer\)/);
  });

  it("requires a client certificate on its client-cert listener, accepts the stand's and refuses a foreign one", async () => {
    const missing = await mqttError(mosquitto().urls.wssClientCert, trustStand);
    expect(missing.code).toBe("ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED");
    expect(tlsFailure(missing)?.error).toMatch(/^TLS: the server requires a client certificate/);
    expect(await mqttRoundTrip(mosquitto().urls.wssClientCert, { ...trustStand, ...withCert(material.client) })).toBe("over TLS");
    const foreign = await mqttError(mosquitto().urls.wssClientCert, { ...trustStand, ...withCert(material.foreignClient) });
    expect(foreign.code).toBe("ERR_SSL_TLSV1_ALERT_UNKNOWN_CA");
    expect(tlsFailure(foreign)?.error).toMatch(/^TLS: the server refused the client certificate \(its issuer is unknown/);
  });
});

describe("server certificates that must fail verification", () => {
  it("a certificate for another host name: altname invalid, permanent", async () => {
    const answer = await postHttps(wrongHostSink().url, trustStand);
    expect(answer.error?.code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
    expect(tlsFailure(answer.error)).toEqual({ result: "permanent", error: expect.stringMatching(/^TLS: the server's certificate is not for this host name/) });
    expect(wrongHostSink().received).toEqual([]);
  });

  it("the wrong-host certificate verifies when the client names the host it was issued for (tls.servername)", async () => {
    const answer = await postHttps(wrongHostSink().url, { ...trustStand, servername: "other.example" });
    expect(answer.status).toBe(200);
  });

  it("an expired certificate: certificate has expired, permanent", async () => {
    const answer = await postHttps(expiredSink().url, trustStand);
    expect(answer.error?.code).toBe("CERT_HAS_EXPIRED");
    expect(tlsFailure(answer.error)).toEqual({ result: "permanent", error: "TLS: the server's certificate has expired (CERT_HAS_EXPIRED)" });
  });

  it("a plain-text listener where TLS was expected: not TLS on this port, permanent", async () => {
    const error = await tlsError({ port: plainHttp.port, ...trustStand });
    expect(error.code).toBe("ERR_SSL_WRONG_VERSION_NUMBER");
    expect(tlsFailure(error)?.error).toMatch(/^TLS: the server does not speak TLS on this port/);
  });

  it("no ALPN protocol in common: refused by the server, permanent", async () => {
    const error = await tlsError({ port: alpnFront().port, ...trustStand, ALPNProtocols: ["mqtt"] });
    expect(error.code).toBe("ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL");
    expect(tlsFailure(error)?.error).toMatch(/^TLS: the server accepts none of the ALPN protocols/);
  });
});

describe("the HTTPS sink requiring a client certificate", () => {
  it("records a request with the client certificate's subject", async () => {
    const before = mtlsSink().received.length;
    const answer = await postHttps(mtlsSink().url, { ...trustStand, ...withCert(material.client) });
    expect(answer.status).toBe(200);
    const [request] = (await mtlsSink().waitFor(before + 1)).slice(before);
    expect(request).toMatchObject({ method: "POST", path: "/hook", body: '{"hello":"mtls"}', clientCertSubject: "CN=switchyard-test-client" });
  });

  it("refuses a request without a client certificate, with the certificate-required alert", async () => {
    const answer = await postHttps(mtlsSink().url, trustStand);
    expect(answer.error?.code).toBe("ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED");
    expect(tlsFailure(answer.error)?.error).toMatch(/^TLS: the server requires a client certificate/);
  });

  it("refuses a foreign client certificate by closing the connection (Node sends no alert, so it is no TLS verdict)", async () => {
    const before = mtlsSink().received.length;
    const answer = await postHttps(mtlsSink().url, { ...trustStand, ...withCert(material.foreignClient) });
    expect(answer.status).toBeUndefined();
    expect(answer.error?.code).toBe("ECONNRESET");
    expect(tlsFailure(answer.error)).toBeUndefined();
    expect(mtlsSink().received).toHaveLength(before);
  });
});

describe("the TLS front before RabbitMQ (amqps)", () => {
  it("opens an AMQP connection for a client that trusts the stand's CA, and moves a message", async () => {
    const connection = await connectAmqp(rabbitFront().url("amqps").replace("amqps://", "amqps://guest:guest@"), trustStand);
    try {
      const channel = await connection.createChannel();
      const { queue } = await channel.assertQueue("", { exclusive: true });
      channel.sendToQueue(queue, Buffer.from("over amqps"));
      await expect.poll(async () => (await channel.get(queue, { noAck: true })) || undefined).toMatchObject({ content: Buffer.from("over amqps") });
    } finally {
      await connection.close();
    }
  });

  it("is refused by a client trusting another CA: unknown issuer, permanent", async () => {
    const error = await connectAmqp(rabbitFront().url("amqps").replace("amqps://", "amqps://guest:guest@"), trustOther).then(
      () => undefined,
      (failure: Error) => failure,
    );
    expect((error as Error & { code?: string }).code).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    expect(tlsFailure(error)?.error).toMatch(/^TLS: the server's certificate is not trusted/);
  });

  it("with requestCert, refuses a client without a certificate and admits the stand's", async () => {
    const url = rabbitFrontClientCert().url("amqps").replace("amqps://", "amqps://guest:guest@");
    const error = await connectAmqp(url, trustStand).then(
      () => undefined,
      (failure: Error) => failure,
    );
    expect(tlsFailure(error)?.error).toMatch(/^TLS: the server requires a client certificate/);
    const connection = await connectAmqp(url, { ...trustStand, ...withCert(material.client) });
    await connection.close();
  });
});

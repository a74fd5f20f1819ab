// From a destination's `tls` object to node:tls options and to what an attempt records: the
// options really make a handshake with a server that requires a client certificate, production
// refuses insecureSkipVerify, and the record never holds the key or the passphrase.
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TlsConfig } from "@/lib/destinations/tls/config";
import { InsecureTlsRefusedError, recordedTls, tlsConnectOptions, type TlsConnectOptions } from "@/lib/destinations/tls/options";
import { tlsMaterial } from "@/scripts/brokers/tls/certs";

const material = await tlsMaterial();
const tlsOf = (config: Partial<TlsConfig>): TlsConfig => ({ insecureSkipVerify: false, ...config });

let server: tls.Server;
let port: number;

beforeAll(async () => {
  server = tls.createServer({ cert: material.server.cert, key: material.server.key, ca: material.ca.cert, requestCert: true, rejectUnauthorized: true }, (socket) => {
    socket.end(`hello ${socket.getPeerCertificate().subject?.CN ?? "?"}`);
  });
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function greeting(options: TlsConnectOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "localhost", port, ...options });
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (text += chunk));
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}

describe("tlsConnectOptions", () => {
  it("verifies against the system CAs when a destination has no tls object", () => {
    expect(tlsConnectOptions(undefined, true)).toEqual({ rejectUnauthorized: true });
  });

  it("maps every field to node:tls (ALPNProtocols, servername) with verification on", () => {
    const encrypted = material.clientEncrypted;
    const options = tlsConnectOptions(
      tlsOf({ ca: material.ca.cert, cert: encrypted.cert, key: encrypted.key, passphrase: encrypted.passphrase, servername: "broker.example", alpnProtocols: ["x-amzn-mqtt-ca"] }),
      true,
    );
    expect(options).toEqual({
      ca: material.ca.cert,
      cert: encrypted.cert,
      key: encrypted.key,
      passphrase: encrypted.passphrase,
      servername: "broker.example",
      ALPNProtocols: ["x-amzn-mqtt-ca"],
      rejectUnauthorized: true,
    });
  });

  it("makes a handshake a client-certificate server accepts, also with an encrypted key", async () => {
    expect(await greeting(tlsConnectOptions(tlsOf({ ca: material.ca.cert, cert: material.client.cert, key: material.client.key }), true))).toBe("hello switchyard-test-client");
    const encrypted = material.clientEncrypted;
    const options = tlsConnectOptions(tlsOf({ ca: material.ca.cert, cert: encrypted.cert, key: encrypted.key, passphrase: encrypted.passphrase }), true);
    expect(await greeting(options)).toBe("hello switchyard-test-client-encrypted");
  });

  it("keeps verification on: without tls.ca the stand's private CA is not trusted", async () => {
    const options = tlsConnectOptions(tlsOf({ cert: material.client.cert, key: material.client.key }), false);
    // This server sends its CA along (it holds it to check client certificates), hence "in chain".
    await expect(greeting(options)).rejects.toMatchObject({ code: "SELF_SIGNED_CERT_IN_CHAIN" });
  });

  it("turns verification off for insecureSkipVerify in development only", async () => {
    const insecure = tlsOf({ cert: material.client.cert, key: material.client.key, insecureSkipVerify: true });
    expect(tlsConnectOptions(insecure, false).rejectUnauthorized).toBe(false);
    expect(await greeting(tlsConnectOptions(insecure, false))).toBe("hello switchyard-test-client");
    expect(() => tlsConnectOptions(insecure, true)).toThrow(InsecureTlsRefusedError);
    expect(() => tlsConnectOptions(insecure, true)).toThrow(/tls\.insecureSkipVerify is refused in production/);
  });
});

describe("recordedTls", () => {
  it("records nothing for a destination without tls", () => {
    expect(recordedTls(undefined)).toBeUndefined();
  });

  it("records the CA source, client certificate subject and expiry, SNI, ALPN and an insecure flag", () => {
    const encrypted = material.clientEncrypted;
    const recorded = recordedTls(
      tlsOf({
        ca: material.ca.cert,
        cert: encrypted.cert,
        key: encrypted.key,
        passphrase: encrypted.passphrase,
        servername: "broker.example",
        alpnProtocols: ["x-amzn-mqtt-ca"],
        insecureSkipVerify: true,
      }),
    );
    expect(recorded).toEqual({
      ca: "custom",
      clientCertificate: { subject: "CN=switchyard-test-client-encrypted", expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
      servername: "broker.example",
      alpnProtocols: ["x-amzn-mqtt-ca"],
      insecureSkipVerify: true,
    });
  });

  it("says system CAs when tls.ca is absent, and omits insecureSkipVerify when verification is on", () => {
    expect(recordedTls(tlsOf({ servername: "broker.example" }))).toEqual({ ca: "system", servername: "broker.example" });
  });

  it("never holds the key, the passphrase or a certificate's PEM", () => {
    const encrypted = material.clientEncrypted;
    const text = JSON.stringify(recordedTls(tlsOf({ ca: material.ca.cert, cert: encrypted.cert, key: encrypted.key, passphrase: encrypted.passphrase })));
    expect(text).not.toContain(encrypted.passphrase);
    expect(text).not.toContain("PRIVATE KEY");
    expect(text).not.toContain("BEGIN CERTIFICATE");
    expect(text).not.toContain(encrypted.key.split("\n")[1]);
  });
});

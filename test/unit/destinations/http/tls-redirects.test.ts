// mTLS and redirects (followRedirects: true) against real HTTPS peers: a hop on the configured
// origin presents the client certificate again; a hop to another origin presents none and
// trusts only the system CAs (the private CA was configured for the destination's endpoint).
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendHttp } from "@/lib/destinations/http/send-http";
import { tlsMaterial, type TlsMaterial } from "@/scripts/brokers/tls/certs";
import { waitFor } from "../../../support/api";
import { makeSendContext } from "./fixtures";

let material: TlsMaterial;
let configured: https.Server;
let elsewhere: https.Server;
/** Per TLS connection to the other origin: did the client present a certificate? */
const elsewhereHandshakes: boolean[] = [];
const configuredSubjects: string[] = [];

async function listen(server: https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

let configuredUrl = "";
let elsewhereUrl = "";

beforeAll(async () => {
  material = await tlsMaterial();
  // TLS 1.2: the client's certificate (or its absence) reaches the server before the client
  // checks the server's certificate and gives up, so the server sees the handshake either way.
  const options = { cert: material.server.cert, key: material.server.key, ca: material.ca.cert, requestCert: true, rejectUnauthorized: false, maxVersion: "TLSv1.2" as const };
  elsewhere = https.createServer(options, (_request, response) => {
    response.writeHead(200).end("elsewhere");
  });
  elsewhere.on("secureConnection", (socket: TLSSocket) => elsewhereHandshakes.push(Boolean(socket.getPeerCertificate().subject)));
  elsewhere.on("tlsClientError", (_error, socket) => socket.destroy());
  // 127.0.0.1 is another origin than localhost, with the same certificate.
  elsewhereUrl = `https://127.0.0.1:${await listen(elsewhere)}`;
  configured = https.createServer({ cert: material.server.cert, key: material.server.key, ca: material.ca.cert, requestCert: true, rejectUnauthorized: true }, (request, response) => {
    configuredSubjects.push((request.socket as TLSSocket).getPeerCertificate().subject.CN ?? "");
    if (request.url === "/same") return void response.writeHead(307, { location: "/final" }).end();
    if (request.url === "/away") return void response.writeHead(307, { location: `${elsewhereUrl}/landing` }).end();
    response.writeHead(200).end("ok");
  });
  configured.on("tlsClientError", (_error, socket) => socket.destroy());
  configuredUrl = `https://localhost:${await listen(configured)}`;
});

afterAll(async () => {
  for (const server of [configured, elsewhere]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const tlsConfig = () => ({ ca: material.ca.cert, cert: material.client.cert, key: material.client.key });

describe("client certificate and redirects", () => {
  it("a redirect on the configured origin presents the client certificate again", async () => {
    const before = configuredSubjects.length;
    const outcome = await sendHttp(makeSendContext({ url: `${configuredUrl}/same`, followRedirects: true, tls: tlsConfig() }));
    expect(outcome.result, outcome.error).toBe("succeeded");
    expect(configuredSubjects.slice(before)).toEqual(["switchyard-test-client", "switchyard-test-client"]);
    expect(outcome.request).toMatchObject({ redirects: [{ status: 307, location: "/final" }], tls: { ca: "custom" } });
  });

  it("the other origin sees a client certificate when it is the configured one (so the next test can fail)", async () => {
    const outcome = await sendHttp(makeSendContext({ url: `${elsewhereUrl}/direct`, tls: tlsConfig() }));
    expect(outcome.result, outcome.error).toBe("succeeded");
    expect(elsewhereHandshakes.splice(0)).toEqual([true]);
  });

  it("a redirect to another origin presents no client certificate and does not trust the private CA there", async () => {
    const outcome = await sendHttp(makeSendContext({ url: `${configuredUrl}/away`, followRedirects: true, tls: tlsConfig() }));
    await waitFor(async () => elsewhereHandshakes.length > 0, { timeoutMs: 2000, what: "the other origin's handshake" });
    expect(elsewhereHandshakes).toEqual([false]);
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toMatch(/^TLS: the server's certificate is not trusted/);
  });
});

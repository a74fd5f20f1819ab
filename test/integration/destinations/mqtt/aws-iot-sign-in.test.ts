// MQTT to AWS IoT Core over wss with a SigV4-presigned URL, end to end against a stand-in for
// IoT Core's WebSocket endpoint: a loopback TLS server that checks each upgrade's query with an
// independent signer (aws4, the way AWS IoT does: session token outside the signature) and then
// pipes the connection to the file's own TLS Mosquitto (its wss listener) — or answers 403 to a
// bad signature.
import https from "node:https";
import tls from "node:tls";
import type { AddressInfo, Socket } from "node:net";
import type { IncomingMessage } from "node:http";
import { randomUUID } from "node:crypto";
import aws4 from "aws4";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sendMqtt } from "@/lib/destinations/mqtt/send-mqtt";
import { call } from "../../../support/api";
import { createCallback, waitForDelivery } from "../../../support/fixtures";
import { useApp } from "../../../support/harness";
import { subscribe, type Subscriber } from "../../../support/mqtt-subscriber";
import { tlsMaterial, useTlsMosquitto, type TlsMaterial } from "../../../support/tls-stand";
import { mqttContext } from "../../../support/broker-context";

const app = useApp();
const stand = useTlsMosquitto();
const region = "eu-west-1";
const accessKeyId = "AKIAIOSFODNN7EXAMPLE";
const secretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const sessionToken = "IQoJb3JpZ2luX2VjEXAMPLE/session+token==";

interface Upgrade {
  path: string;
  queryNames: string[];
  date: string | null;
  verdict: "accepted" | "refused";
}

/** Why the presigned query is not valid for the key pair above, or undefined when it is. */
function signatureProblem(request: IncomingMessage): string | undefined {
  const host = request.headers.host ?? "";
  const url = new URL(request.url ?? "/", `https://${host}`);
  const query = url.searchParams;
  const date = query.get("X-Amz-Date");
  const expires = query.get("X-Amz-Expires");
  if (!date || !expires) return "not presigned";
  const expected = aws4.sign(
    { host, path: `${url.pathname}?X-Amz-Date=${date}&X-Amz-Expires=${expires}`, service: "iotdevicegateway", region, signQuery: true },
    { accessKeyId, secretAccessKey },
  );
  const want = new URL(expected.path ?? "", "https://x").searchParams;
  if (query.get("X-Amz-Credential") !== want.get("X-Amz-Credential")) return "wrong credential scope";
  if (query.get("X-Amz-Signature") !== want.get("X-Amz-Signature")) return "signature mismatch";
  return undefined;
}

interface SignedFront {
  port: number;
  upgrades: Upgrade[];
  stop(): Promise<void>;
}

/** The IoT Core stand-in: TLS with the stand's certificate, SigV4 checked on every upgrade. */
async function startSignedFront(material: TlsMaterial, targetPort: number): Promise<SignedFront> {
  const sockets = new Set<Socket>();
  const upgrades: Upgrade[] = [];
  const server = https.createServer({ cert: material.server.cert, key: material.server.key }, (_request, response) => response.writeHead(426).end());
  server.on("upgrade", (request: IncomingMessage, client: Socket, head: Buffer) => {
    client.on("error", () => undefined);
    const url = new URL(request.url ?? "/", "https://front");
    const problem = signatureProblem(request);
    upgrades.push({ path: url.pathname, queryNames: [...url.searchParams.keys()], date: url.searchParams.get("X-Amz-Date"), verdict: problem ? "refused" : "accepted" });
    if (problem) {
      client.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    const upstream = tls.connect({ host: "127.0.0.1", port: targetPort, servername: "localhost", ca: material.ca.cert });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    const headers = request.rawHeaders.map((value, index) => (index % 2 === 0 ? `${value}: ` : `${value}\r\n`)).join("");
    upstream.write(`GET ${url.pathname} HTTP/1.1\r\n${headers}\r\n`);
    upstream.write(head);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    upgrades,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let material: TlsMaterial;
let front: SignedFront;
let subscriber: Subscriber;
const prefix = `switchyard-test/${randomUUID()}`;

beforeAll(async () => {
  material = await tlsMaterial();
  front = await startSignedFront(material, stand().ports.wss);
  subscriber = await subscribe(stand().urls.mqtts, [`${prefix}/#`], { ca: material.ca.cert });
});

afterAll(async () => {
  await subscriber?.close();
  await front?.stop();
});

afterEach(() => {
  vi.useRealTimers();
});

const endpoint = () => `wss://localhost:${front.port}/mqtt`;
const awsAuth = (secret: string) => ({ type: "aws_sigv4", region, accessKeyId, secretAccessKey: secret, sessionToken });

describe("AWS IoT Core over wss with a presigned URL", () => {
  it("through the pipeline: a valid signature delivers; a wrong secret is refused with 403 and fails permanently; nothing secret is recorded", async () => {
    const callback = await createCallback(app.url, {
      name: "aws-iot-wss",
      destinations: [
        { kind: "mqtt", name: "signed", config: { url: endpoint(), topic: `${prefix}/signed`, qos: 1, tls: { ca: material.ca.cert }, auth: awsAuth(secretAccessKey) } },
        { kind: "mqtt", name: "wrong secret", config: { url: endpoint(), topic: `${prefix}/wrong`, qos: 1, tls: { ca: material.ca.cert }, auth: awsAuth("not-the-secret-key-000") } },
      ],
    });
    const answer = await call<{ deliveries: Array<{ id: string; destinationId: string }> }>(callback.triggerUrl, "POST", "", { body: { temperature: 21 }, token: null });
    expect(answer.status).toBe(202);
    const idOf = (index: number) => answer.body.deliveries.find((delivery) => delivery.destinationId === callback.destinations[index]?.id)?.id ?? "";
    const [signed, wrong] = await Promise.all([0, 1].map((index) => waitForDelivery(app.url, idOf(index), ["succeeded", "failed", "dead"])));

    expect(signed?.status, signed?.lastError ?? "").toBe("succeeded");
    const message = await subscriber.next(`${prefix}/signed`);
    expect(JSON.parse(message.payload)).toMatchObject({ deliveryId: signed?.id, request: { body: { temperature: 21 } } });
    expect(signed?.attemptsLog[0]?.request).toMatchObject({
      broker: `wss://localhost:${front.port}/mqtt`,
      authentication: expect.stringMatching(/^aws_sigv4/) as unknown,
      tls: { ca: "custom" },
    });

    expect(wrong?.status).not.toBe("succeeded");
    expect(wrong?.attempts, JSON.stringify(wrong?.attemptsLog.map((attempt) => [attempt.outcome, attempt.error]))).toBe(1);
    expect(wrong?.attemptsLog[0]?.outcome).toBe("permanent");
    expect(wrong?.lastError).toBe("the broker refused the signed WebSocket URL (HTTP 403)");
    expect(subscriber.messages.map((received) => received.topic)).not.toContain(`${prefix}/wrong`);

    expect(front.upgrades.map((upgrade) => upgrade.verdict).sort()).toEqual(["accepted", "refused"]);
    for (const upgrade of front.upgrades) {
      expect(upgrade.path).toBe("/mqtt");
      // AWS IoT's rule: the session token comes after the signature, outside what was signed.
      expect(upgrade.queryNames.at(-1)).toBe("X-Amz-Security-Token");
    }
    for (const detail of [signed, wrong]) {
      const text = JSON.stringify(detail);
      for (const secret of [secretAccessKey, "not-the-secret-key-000", sessionToken, encodeURIComponent(sessionToken), "X-Amz-Signature", "X-Amz-Credential"])
        expect(text).not.toContain(secret);
    }
  });

  it("each connection is signed afresh: two deliveries a minute apart present two dates, both accepted", async () => {
    const before = front.upgrades.length;
    vi.useFakeTimers({ toFake: ["Date"] });
    const send = () => sendMqtt(mqttContext({ url: endpoint(), topic: `${prefix}/fresh`, qos: 1, tls: { ca: material.ca.cert }, auth: awsAuth(secretAccessKey) }));
    vi.setSystemTime(new Date("2026-12-07T08:00:00Z"));
    const first = await send();
    vi.setSystemTime(new Date("2026-12-07T08:01:00Z"));
    const second = await send();
    expect([first.result, second.result], `${first.error} / ${second.error}`).toEqual(["succeeded", "succeeded"]);
    const seen = front.upgrades.slice(before);
    expect(seen.map((upgrade) => upgrade.date)).toEqual(["20261207T080000Z", "20261207T080100Z"]);
    expect(seen.map((upgrade) => upgrade.verdict)).toEqual(["accepted", "accepted"]);
  });
});

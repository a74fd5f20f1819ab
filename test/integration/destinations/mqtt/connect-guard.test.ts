// The SSRF guard on MQTT at connect time, for every transport: without ALLOW_PRIVATE_DESTINATIONS
// a loopback broker is refused as the connection is made (nothing reaches it), and a name whose
// DNS answer changes between a check and the connect (rebinding) is refused too, because the
// address checked is the address connected to.
import dns, { type LookupAddress } from "node:dns";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sendMqtt } from "@/lib/destinations/mqtt/send-mqtt";
import { startMqttBroker, type EmbeddedMqttBroker } from "@/scripts/dev/mqtt-broker";
import { startTcpProxy, type TcpProxy, type TestServer } from "@/scripts/lib/net-tools";
import { mqttContext } from "../../../support/broker-context";
import { startSilentServer } from "../../../support/silent-server";

const blockedLoopback = /^destination address (127\.0\.0\.1|::1) \(resolved from localhost\) is private\/loopback; blocked/;

let silent: TestServer;
let broker: EmbeddedMqttBroker;
let tcpFront: TcpProxy;
let wsFront: TcpProxy;
const published: string[] = [];

beforeAll(async () => {
  silent = await startSilentServer();
  broker = await startMqttBroker({ port: 0, wsPort: 0, onPublish: (topic) => published.push(topic) });
  // Count every TCP connection that reaches the broker, whatever the MQTT outcome.
  tcpFront = await startTcpProxy(broker.port);
  wsFront = await startTcpProxy(broker.wsPort);
});

afterAll(async () => {
  await Promise.all([silent?.close(), tcpFront?.close(), wsFront?.close()]);
  await broker?.close();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("MQTT connect-time guard", () => {
  it.each(["mqtt", "mqtts", "ws", "wss"])("%s://localhost is refused at connect, permanently, and no connection reaches the listener", async (scheme) => {
    const url = `${scheme}://localhost:${silent.port}${scheme.startsWith("ws") ? "/mqtt" : ""}`;
    const outcome = await sendMqtt({ ...mqttContext({ url, topic: "switchyard-test/guard", timeoutMs: 2_000 }), allowPrivateDestinations: false });
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toMatch(blockedLoopback);
    expect(outcome.response).toMatchObject({ failedAt: "connect" });
    expect(silent.connections).toBe(0);
  });

  it("an IP literal in the private range is refused before any socket opens", async () => {
    const outcome = await sendMqtt({ ...mqttContext({ url: `wss://127.0.0.1:${silent.port}/mqtt`, topic: "switchyard-test/guard" }), allowPrivateDestinations: false });
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toMatch(/^destination address 127\.0\.0\.1 is private\/loopback; blocked/);
    expect(silent.connections).toBe(0);
  });
});

const rebindName = "rebind.switchyard.test";
// Global unicast (not a special range), with no route from this machine: the attempt fails or times out.
const publicAddress: LookupAddress = { address: "2606:4700:4700::1111", family: 6 };
const loopbackAddress: LookupAddress = { address: "127.0.0.1", family: 4 };

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The attacker's DNS: the first answer for `rebindName` is public, every later one loopback. Both
 * the callback and the promise API answer from the same sequence, so a check-then-connect client
 * (one lookup to check, another to connect) would see public, then loopback.
 */
function rebindingDns(): { lookups: () => number } {
  let count = 0;
  const next = () => (count++ === 0 ? publicAddress : loopbackAddress);
  const lookup = dns.lookup.bind(dns);
  const promisesLookup = dns.promises.lookup.bind(dns.promises);
  vi.spyOn(dns, "lookup").mockImplementation((hostname: string, options: unknown, callback?: LookupCallback) => {
    if (hostname !== rebindName) return (lookup as (...args: unknown[]) => void)(hostname, options, callback);
    const done = (typeof options === "function" ? options : callback) as LookupCallback;
    const all = typeof options === "object" && options !== null && (options as { all?: boolean }).all === true;
    const answer = next();
    process.nextTick(() => (all ? done(null, [answer]) : done(null, answer.address, answer.family)));
  });
  vi.spyOn(dns.promises, "lookup").mockImplementation((async (hostname: string, options?: { all?: boolean }) => {
    if (hostname !== rebindName) return promisesLookup(hostname, options ?? {});
    const answer = next();
    return options?.all ? [answer] : answer;
  }) as unknown as typeof dns.promises.lookup);
  return { lookups: () => count };
}

describe("MQTT DNS rebinding", () => {
  it.each([
    ["mqtt", () => `mqtt://${rebindName}:${tcpFront.port}`, () => tcpFront],
    ["ws", () => `ws://${rebindName}:${wsFront.port}/mqtt`, () => wsFront],
  ])("%s: a name that answers public first and loopback later never reaches the loopback broker", async (_, url, front) => {
    const topic = `switchyard-test/${randomUUID()}/rebind`;
    const before = front().connections;
    const dnsAnswers = rebindingDns();
    const send = () => sendMqtt({ ...mqttContext({ url: url(), topic, qos: 1, timeoutMs: 500 }), allowPrivateDestinations: false });
    // The public answer is the one connected to (and it is unreachable): a check-once client
    // would have checked it, then connected to the loopback answer of its second lookup.
    const first = await send();
    expect(first.result, first.error).toBe("retryable");
    expect(first.error).toMatch(/^(Broker unreachable|Timed out: connect)/);
    // The retry's lookup answers loopback: refused as it connects.
    const second = await send();
    expect(second.result).toBe("permanent");
    expect(second.error).toMatch(/^destination address 127\.0\.0\.1 \(resolved from rebind\.switchyard\.test\) is private\/loopback; blocked/);
    expect(dnsAnswers.lookups()).toBe(2);
    expect(front().connections).toBe(before);
    expect(published).not.toContain(topic);
  });
});

import http from "node:http";
import { describe, expect, it } from "vitest";
import { addressPolicy, assertLiteralAllowed, blockedReason, BlockedAddressError, guardedLookup } from "@/lib/destinations/address-guard";
import { startSink } from "../../support/sink";

const blocked: Array<[string, RegExp]> = [
  ["127.0.0.1", /private\/loopback/],
  ["127.255.0.9", /private\/loopback/],
  ["10.0.0.1", /RFC 1918/],
  ["172.16.5.4", /RFC 1918/],
  ["192.168.1.1", /RFC 1918/],
  ["169.254.169.254", /cloud metadata/],
  ["169.254.10.10", /link-local/],
  ["100.64.0.1", /carrier-grade NAT/],
  ["0.0.0.0", /unspecified/],
  ["255.255.255.255", /broadcast/],
  ["224.0.0.1", /multicast/],
  ["240.0.0.1", /reserved/],
  ["192.0.2.10", /reserved/],
  ["::1", /private\/loopback/],
  ["::", /unspecified/],
  ["fe80::1", /link-local/],
  ["fc00::1", /unique-local/],
  ["fd12:3456::1", /unique-local/],
  ["fd00:ec2::254", /cloud metadata/],
  ["ff02::1", /multicast/],
  ["::ffff:127.0.0.1", /private\/loopback/],
  ["::ffff:7f00:1", /private\/loopback/],
  ["::ffff:10.1.2.3", /RFC 1918/],
  ["::ffff:169.254.169.254", /cloud metadata/],
  ["::127.0.0.1", /private\/loopback/],
  ["::7f00:1", /private\/loopback/],
  ["64:ff9b::7f00:1", /reserved/],
  ["2002:7f00:1::", /reserved/],
  ["[::1]", /private\/loopback/],
  ["not-an-ip", /not a valid IP/],
];

const allowed = ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8"];

describe("blockedReason", () => {
  it.each(blocked)("refuses %s", (address, reason) => {
    expect(blockedReason(address)).toMatch(reason);
  });

  it.each(allowed)("allows the public address %s", (address) => {
    expect(blockedReason(address)).toBeUndefined();
  });

  it("allows everything when private destinations are allowed", () => {
    expect(addressPolicy(true)("127.0.0.1")).toBeUndefined();
    expect(addressPolicy(false)("127.0.0.1")).toMatch(/loopback/);
  });
});

describe("assertLiteralAllowed", () => {
  it("throws a BlockedAddressError with the operator-facing message for an IP literal", () => {
    const attempt = () => assertLiteralAllowed("127.0.0.1", addressPolicy(false));
    expect(attempt).toThrow(BlockedAddressError);
    expect(attempt).toThrow("destination address 127.0.0.1 is private/loopback; blocked (set ALLOW_PRIVATE_DESTINATIONS=true to allow)");
  });

  it("checks bracketed IPv6 hosts as URL.hostname gives them", () => {
    expect(() => assertLiteralAllowed(new URL("http://[::ffff:127.0.0.1]/").hostname, addressPolicy(false))).toThrow(BlockedAddressError);
  });

  it.each(["http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/", "http://127.1/"])("catches the loopback spelled %s (URL normalises it)", (url) => {
    expect(() => assertLiteralAllowed(new URL(url).hostname, addressPolicy(false))).toThrow("destination address 127.0.0.1 is private/loopback");
  });

  it("refuses a bracketed IPv6 loopback and lets a public address through", () => {
    expect(() => assertLiteralAllowed("[::1]", addressPolicy(false))).toThrow(/::1 is private\/loopback/);
    expect(() => assertLiteralAllowed("8.8.8.8", addressPolicy(false))).not.toThrow();
    expect(() => assertLiteralAllowed("127.0.0.1", addressPolicy(true))).not.toThrow();
  });

  it("leaves names to the lookup", () => {
    expect(() => assertLiteralAllowed("localhost", addressPolicy(false))).not.toThrow();
  });
});

describe("guardedLookup", () => {
  const lookup = (hostname: string, all: boolean) =>
    new Promise<{ error: Error | null; address: unknown }>((resolve) => guardedLookup(addressPolicy(false))(hostname, { all }, (error, address) => resolve({ error, address })));

  it.each([true, false])("refuses a name that resolves to loopback (all: %s), naming address and host", async (all) => {
    const { error } = await lookup("localhost", all);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(error?.message).toMatch(/^destination address (127\.0\.0\.1|::1) \(resolved from localhost\) is private\/loopback; blocked/);
  });

  it("checks an address handed to it as such: a private one is refused, a public one passes", async () => {
    const privateAnswer = await lookup("10.0.0.1", false);
    expect(privateAnswer.error).toBeInstanceOf(BlockedAddressError);
    expect(privateAnswer.error?.message).toMatch(/^destination address 10\.0\.0\.1 is private\/loopback \(RFC 1918\)/);
    expect(await lookup("8.8.8.8", false)).toEqual({ error: null, address: "8.8.8.8" });
  });

  it("answers in the shape Node asked for when the policy allows", async () => {
    const open = (all: boolean) => new Promise<unknown[]>((resolve) => guardedLookup(addressPolicy(true))("localhost", { all }, (...args) => resolve(args)));
    const [errorAll, addresses] = await open(true);
    expect(errorAll).toBeNull();
    expect(addresses).toEqual(expect.arrayContaining([expect.objectContaining({ address: "127.0.0.1", family: 4 })]));
    const [errorOne, address, family] = await open(false);
    expect(errorOne).toBeNull();
    expect(typeof address).toBe("string");
    expect([4, 6]).toContain(family);
  });

  it("stops http.request at connect time: the server never sees the request", async () => {
    const server = await startSink();
    const port = server.port;
    const error = await new Promise<Error>((resolve) => {
      const request = http.request(`http://localhost:${port}/`, { lookup: guardedLookup(addressPolicy(false)), agent: false });
      request.on("error", resolve);
      request.end();
    });
    await server.close();
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(server.requests).toHaveLength(0);
  });
});

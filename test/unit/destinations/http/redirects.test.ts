// Redirect handling and the per-hop SSRF check. Every local server is loopback, so the guard is
// given a policy that treats 127.0.0.2 as a public address: the first hop (127.0.0.2) is allowed
// and reachable, and what is checked is that the guard runs again on the hop it redirects to.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockedReason, type AddressPolicy } from "@/lib/destinations/address-guard";
import { createHttpSender } from "@/lib/destinations/http/send-http";
import { nextHop } from "@/lib/destinations/http/redirects";
import { makeSendContext } from "./fixtures";
import { startSink, type Sink } from "../../../support/sink";

const publicLooking = "127.0.0.2";
const perHopPolicy: AddressPolicy = (address) => (address === publicLooking ? undefined : blockedReason(address));
const guardedSender = createHttpSender({ policyFor: () => perHopPolicy });
const openSender = createHttpSender({ policyFor: () => () => undefined });

let internal: Sink;
let hop: Sink;

beforeAll(async () => {
  internal = await startSink({ host: "127.0.0.1", respond: (_request, response) => response.end("internal secrets") });
  hop = await startSink({
    host: publicLooking,
    respond: (request, response, self) => {
      const port = new URL(internal.url).port;
      const routes: Record<string, [number, string]> = {
        "/to-literal": [302, `${internal.url}/admin`],
        "/to-localhost": [307, `http://localhost:${port}/admin`],
        "/to-mapped": [301, `http://[::ffff:127.0.0.1]:${port}/admin`],
        "/see-other": [303, `${self.url}/landing`],
        "/temporary": [307, "/landing"],
        "/cross-origin": [302, `${internal.url}/landing`],
        "/same-origin": [302, "/landing"],
        "/loop": [302, "/loop"],
        "/to-ftp": [302, "ftp://example.com/file"],
      };
      const route = routes[request.path];
      if (route) response.writeHead(route[0], { location: route[1] }).end();
      else response.writeHead(200, { "content-type": "text/plain" }).end("landed");
    },
  });
});
afterAll(async () => {
  await Promise.all([internal.close(), hop.close()]);
});

const hitsOf = (peer: Sink) => peer.requests.length;

describe("redirects with the SSRF guard on", () => {
  it.each([
    ["/to-literal", /^destination address 127\.0\.0\.1 is private\/loopback; blocked/],
    ["/to-localhost", /^destination address (127\.0\.0\.1|::1) \(resolved from localhost\) is private\/loopback; blocked/],
    ["/to-mapped", /^destination address ::ffff:7f00:1 is private\/loopback; blocked/],
  ])("an allowed first hop redirecting %s is refused at the second hop, which never connects", async (path, message) => {
    const before = hitsOf(internal);
    const hopHits = hitsOf(hop);
    const outcome = await guardedSender(makeSendContext({ url: `${hop.url}${path}`, followRedirects: true }, { allowPrivateDestinations: false }));
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toMatch(message);
    expect(hitsOf(hop)).toBe(hopHits + 1);
    expect(hitsOf(internal)).toBe(before);
  });

  it("the same redirect is followed when the policy allows the target (the control)", async () => {
    const before = hitsOf(internal);
    const outcome = await openSender(makeSendContext({ url: `${hop.url}/to-literal`, followRedirects: true }));
    expect(outcome.result).toBe("succeeded");
    expect(hitsOf(internal)).toBe(before + 1);
    expect(outcome.request.redirects).toEqual([{ status: 302, location: `${internal.url}/admin` }]);
  });
});

describe("redirect policy", () => {
  it("is off by default: a 3xx is a permanent failure telling how to follow it", async () => {
    const outcome = await openSender(makeSendContext({ url: `${hop.url}/see-other` }));
    expect(outcome.result).toBe("permanent");
    expect(outcome.statusCode).toBe(303);
    expect(outcome.error).toBe("HTTP 303: redirect not followed (set followRedirects)");
    expect(outcome.response?.headers).toMatchObject({ location: `${hop.url}/landing` });
  });

  it("303 turns a POST into a GET without body; 307 keeps method and body", async () => {
    const start = hop.requests.length;
    const seeOther = await openSender(makeSendContext({ url: `${hop.url}/see-other`, method: "POST", body: '{"a":1}', followRedirects: true }));
    expect(seeOther.result).toBe("succeeded");
    const temporary = await openSender(makeSendContext({ url: `${hop.url}/temporary`, method: "PUT", body: '{"b":2}', followRedirects: true }));
    expect(temporary.result).toBe("succeeded");
    const landings = hop.requests.slice(start).filter((request) => request.path === "/landing");
    expect(landings.map((request) => [request.method, request.body, request.headers["content-type"]])).toEqual([
      ["GET", "", undefined],
      ["PUT", '{"b":2}', "application/json"],
    ]);
    expect(seeOther.request).toMatchObject({ method: "GET", url: `${hop.url}/landing`, body: null });
  });

  it("keeps credentials on a same-origin hop and drops them on a cross-origin one", async () => {
    const auth = { type: "bearer", token: "hop-token-123456" };
    const internalStart = internal.requests.length;
    const hopStart = hop.requests.length;
    await openSender(makeSendContext({ url: `${hop.url}/same-origin`, auth, followRedirects: true }));
    await openSender(makeSendContext({ url: `${hop.url}/cross-origin`, auth, followRedirects: true }));
    const sameOriginLanding = hop.requests.slice(hopStart).find((request) => request.path === "/landing");
    expect(sameOriginLanding?.headers.authorization).toBe("Bearer hop-token-123456");
    const crossOriginLanding = internal.requests.slice(internalStart).find((request) => request.path === "/landing");
    expect(crossOriginLanding).toBeDefined();
    expect(crossOriginLanding?.headers.authorization).toBeUndefined();
  });

  it("gives up after 5 hops", async () => {
    const start = hop.requests.length;
    const outcome = await openSender(makeSendContext({ url: `${hop.url}/loop`, followRedirects: true }));
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toBe("too many redirects (more than 5)");
    expect(hop.requests.length - start).toBe(6);
  });

  it("refuses a redirect to a non-HTTP scheme", async () => {
    const outcome = await openSender(makeSendContext({ url: `${hop.url}/to-ftp`, followRedirects: true }));
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toMatch(/non-HTTP URL \(ftp:\)/);
  });
});

describe("nextHop method rules", () => {
  const request = { method: "POST", url: new URL("https://a.example/x"), headers: { "content-type": "application/json", authorization: "Bearer t" }, body: "{}" };
  it.each([
    [301, "POST", "GET"],
    [302, "POST", "GET"],
    [303, "POST", "GET"],
    [303, "PUT", "GET"],
    [303, "HEAD", "HEAD"],
    [301, "PUT", "PUT"],
    [307, "POST", "POST"],
    [308, "DELETE", "DELETE"],
  ])("%i after %s → %s", (status, method, expected) => {
    const next = nextHop({ ...request, method }, status, "/y");
    expect(next.method).toBe(expected);
    expect(next.body).toBe(expected === method ? "{}" : undefined);
    expect(next.url.toString()).toBe("https://a.example/y");
  });
});

// The hot routes as Pages API routes inside a built `next start` (the other integration tests
// serve the same handlers over plain node:http): every method, params from the dynamic
// segments, raw bodies and byte caps, QStash-only routes, and a trigger delivered end to end.
import { request as httpRequest } from "node:http";
import { randomInt, randomUUID } from "node:crypto";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../support/api";
import { testAdminToken } from "../../support/ports";
import { createCallback, httpDestination, waitForDelivery, type CreatedCallback } from "../../support/fixtures";
import { ensureNextBuild, spawnNextStart, startNextServer, type NextServer } from "@/scripts/lib/next-server";
import { freePort } from "@/scripts/lib/net-tools";
import { startSink, type Sink } from "../../support/sink";

const allMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

let server: NextServer;
let sink: Sink;
let open: CreatedCallback;
let postOnly: CreatedCallback;
let customPath = "";

beforeAll(async () => {
  await ensureNextBuild();
  [server, sink] = await Promise.all([startNextServer(process.env), startSink()]);
  open = await createCallback(server.url, { name: "next-open", methods: allMethods, maxBodyBytes: 1024, destinations: [httpDestination(`${sink.url}/open`)] });
  postOnly = await createCallback(server.url, { name: "next-post", destinations: [httpDestination(`${sink.url}/post`)] });
  customPath = `next/${Date.now().toString(36)}/orders`;
  await createCallback(server.url, { name: "next-custom", path: customPath, destinations: [httpDestination(`${sink.url}/custom`)] });
}, 420_000);

afterAll(async () => {
  await sink?.close();
  await server?.close();
});

describe("trigger routes under next start", () => {
  it("accept every HTTP method with 202 (HEAD without a body)", async () => {
    for (const method of allMethods) {
      const response = await fetch(`${server.url}/api/trigger/${open.token}`, { method, body: ["GET", "HEAD"].includes(method) ? undefined : "{}" });
      const text = await response.text();
      expect({ method, status: response.status }).toEqual({ method, status: 202 });
      if (method === "HEAD") expect(text).toBe("");
      else expect(JSON.parse(text)).toMatchObject({ eventId: expect.any(String), deliveries: [{ destinationId: open.destinations[0]?.id }] });
    }
  });

  it("deliver the raw body and the query string through QStash to the destination", async () => {
    const body = '{"order":{"id":4242},"note":"ünïcode"}';
    const accepted = await call<{ deliveries: Array<{ id: string }> }>(server.url, "POST", `/api/trigger/${open.token}?tag=a&tag=b&one=1`, {
      token: null,
      raw: body,
      headers: { "content-type": "application/json", "x-sender": "next-test" },
    });
    expect(accepted.status).toBe(202);
    const detail = await waitForDelivery(server.url, accepted.body.deliveries[0]?.id ?? "", ["succeeded"]);
    expect(detail.event).toMatchObject({ method: "POST", path: "/api/trigger/{token}", query: { tag: ["a", "b"], one: "1" }, body });
    expect(detail.event?.headers["x-sender"]).toBe("next-test");
    const received = sink.requests.find((request) => request.path === "/open" && request.body.includes("4242"));
    expect(received?.body).toContain("ünïcode");
  });

  it("answer a custom path, and 404 for an unknown token or path", async () => {
    const hooked = await fetch(`${server.url}/api/hooks/${customPath}`, { method: "POST", body: "{}" });
    expect(hooked.status).toBe(202);
    const unknownToken = await call<{ error: { code: string } }>(server.url, "POST", "/api/trigger/sy_unknown", { token: null, raw: "{}" });
    expect([unknownToken.status, unknownToken.body.error.code]).toEqual([404, "not_found"]);
    const unknownPath = await call<{ error: { code: string } }>(server.url, "POST", "/api/hooks/no/such/path", { token: null, raw: "{}" });
    expect([unknownPath.status, unknownPath.body.error.code]).toEqual([404, "not_found"]);
  });

  it("refuse a method the callback does not take with 405 and Allow", async () => {
    const refused = await call<{ error: { code: string } }>(server.url, "PUT", `/api/trigger/${postOnly.token}`, { token: null, raw: "{}" });
    expect([refused.status, refused.body.error.code, refused.headers.get("allow")]).toEqual([405, "method_not_allowed", "POST"]);
  });

  it("refuse a body over the callback's limit with 413, declared or streamed", async () => {
    const declared = await call<{ error: { code: string } }>(server.url, "POST", `/api/trigger/${open.token}`, { token: null, raw: "x".repeat(4096) });
    expect([declared.status, declared.body.error.code]).toEqual([413, "payload_too_large"]);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 8; index += 1) controller.enqueue(new TextEncoder().encode("y".repeat(512)));
        controller.close();
      },
    });
    const streamed = await fetch(`${server.url}/api/trigger/${open.token}`, { method: "POST", body: chunks, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });
});

describe("QStash routes under next start", () => {
  it("take only POST, and only with a valid signature", async () => {
    for (const path of ["/api/deliver", "/api/deliver/failed", "/api/alerts/deliver"]) {
      const get = await call(server.url, "GET", path, { token: null });
      expect([path, get.status, get.headers.get("allow")]).toEqual([path, 405, "POST"]);
      const unsigned = await call<{ error: { code: string } }>(server.url, "POST", path, { token: null, raw: "{}" });
      expect([path, unsigned.status, unsigned.body.error.code]).toEqual([path, 401, "invalid_signature"]);
    }
  });
});

/** One request from a chosen loopback source address (the whole 127.0.0.0/8 is loopback here). */
function fromAddress(localAddress: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, server.url), { method, headers, localAddress }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("operator limits under next start key on the socket address", () => {
  it("a rotating X-Forwarded-For does not reset the sign-in limit", async () => {
    const username = `xff-${randomUUID().slice(0, 8)}`;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      const response = await fetch(`${server.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url, "x-forwarded-for": `203.0.113.${attempt + 1}` },
        body: JSON.stringify({ username, password: "wrong-password" }),
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it("wrong bearer tokens from one address lock that address only", async () => {
    const attacker = `127.${randomInt(20, 250)}.${randomInt(1, 250)}.${randomInt(1, 250)}`;
    const wrong = { authorization: "Bearer not-the-admin-token" };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 21; attempt++) statuses.push(await fromAddress(attacker, "GET", "/api/callbacks", wrong));
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    // A spoofed X-Forwarded-For from the locked address changes nothing; the right token from
    // another address still works.
    expect(await fromAddress(attacker, "GET", "/api/callbacks", { ...wrong, "x-forwarded-for": "198.51.100.7" })).toBe(429);
    expect(await fromAddress("127.0.0.1", "GET", "/api/callbacks", { authorization: `Bearer ${testAdminToken}` })).toBe(200);
  });
});

describe("a production start with a short secret", () => {
  it("stops with exit code 1, naming the variable, instead of serving 500s", async () => {
    const port = await freePort();
    const child = spawnNextStart({ ...process.env, ADMIN_TOKEN: "a".repeat(31) }, port, `http://127.0.0.1:${port}`);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const stuck = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const [code] = (await once(child, "exit")) as [number | null];
    clearTimeout(stuck);
    expect(code, output).toBe(1);
    expect(output).toContain("Too short (at least 32 characters in production): ADMIN_TOKEN");
  });
});

// The hot routes' view of a Node request: capped body reads (declared, streamed, cut off),
// header lookups with Node's arrays, the query string; and a 413 that still gets answered.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { errorReply } from "@/lib/http/error-reply";
import { inboundFromNode, writeNodeReply } from "@/lib/http/inbound";
import { readCappedBody } from "@/lib/http/read-body";
import { jsonReply } from "@/lib/http/reply";

async function* chunksOf(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
}

describe("readCappedBody", () => {
  it("joins the chunks", async () => {
    expect(new TextDecoder().decode(await readCappedBody(chunksOf("ab", "cd", "é"), null, 100))).toBe("abcdé");
    expect(await readCappedBody(null, null, 100)).toHaveLength(0);
  });

  it("refuses a declared or a streamed body over the cap with payload_too_large", async () => {
    expect(await codeOf(readCappedBody(chunksOf("x"), "101", 100))).toBe("payload_too_large");
    expect(await codeOf(readCappedBody(chunksOf("x".repeat(60), "x".repeat(41)), null, 100))).toBe("payload_too_large");
    expect(await readCappedBody(chunksOf("x".repeat(60), "x".repeat(40)), null, 100)).toHaveLength(100);
  });

  it("turns a body cut off by the sender into bad_request, not an internal error", async () => {
    async function* cutOff(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array([1]);
      throw Object.assign(new Error("aborted"), { code: "ECONNRESET" });
    }
    expect(await codeOf(readCappedBody(cutOff(), null, 100))).toBe("bad_request");
  });
});

describe("inboundFromNode over a real socket", () => {
  let server: http.Server;
  let url = "";
  const seen: Array<{ method: string; tag: string | null; cookie: string | null; names: string[]; query: string[] }> = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const inbound = inboundFromNode(request);
      const names: string[] = [];
      inbound.headers.forEach((_value, name) => names.push(name));
      seen.push({ method: inbound.method, tag: inbound.headers.get("X-Tag"), cookie: inbound.headers.get("set-cookie"), names, query: inbound.searchParams.getAll("q") });
      if (request.url === "/refuse") return writeNodeReply(request, response, errorReply(new AppError("not_found", "refused before reading")));
      inbound.readBody(16).then(
        (body) => writeNodeReply(request, response, jsonReply({ bytes: body.byteLength })),
        (error: unknown) => writeNodeReply(request, response, errorReply(error, { head: request.method === "HEAD" })),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("reads headers case-insensitively, joins repeated ones, and parses the query", async () => {
    const response = await fetch(`${url}/p?q=1&q=two`, {
      method: "POST",
      headers: [
        ["X-Tag", "t"],
        ["Set-Cookie", "a=1"],
        ["Set-Cookie", "b=2"],
      ],
      body: "12345",
    });
    expect(await response.json()).toEqual({ bytes: 5 });
    expect(seen.at(-1)).toMatchObject({ method: "POST", tag: "t", cookie: "a=1, b=2", query: ["1", "two"] });
    expect(seen.at(-1)?.names).toEqual(expect.arrayContaining(["x-tag", "set-cookie", "content-length"]));
  });

  it("answers 413 to a streamed body over the cap instead of dropping the connection", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 64; index += 1) controller.enqueue(new Uint8Array(1024));
        controller.close();
      },
    });
    const response = await fetch(url, { method: "POST", body, duplex: "half" } as RequestInit);
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });

  it("keeps the connection after refusing a small body unread, and reads the next request on it", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const post = (path: string, body: string) =>
      new Promise<{ status: number; connection: string | undefined; socket: unknown }>((resolve, reject) => {
        const request = http.request(`${url}${path}`, { method: "POST", agent }, (response) => {
          response.resume();
          response.on("end", () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, socket: request.socket }));
        });
        request.on("error", reject);
        request.end(body);
      });
    try {
      const refused = await post("/refuse", "x".repeat(2048));
      expect([refused.status, refused.connection]).toEqual([404, "keep-alive"]);
      const next = await post("/p", "12345");
      expect([next.status, next.socket]).toEqual([200, refused.socket]);
    } finally {
      agent.destroy();
    }
  });

  it("sends no body for HEAD", async () => {
    const response = await fetch(url, { method: "HEAD" });
    expect([response.status, await response.text()]).toEqual([200, ""]);
  });
});

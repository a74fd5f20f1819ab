// The local QStash server (scripts/qstash-server.ts) against the unmodified @upstash/qstash
// Client and Receiver: what the app publishes must arrive, signed, as real QStash sends it.
import type { IncomingHttpHeaders } from "node:http";
import { Client, QstashError, Receiver } from "@upstash/qstash";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { devCredentials, startQstashServer, type QstashServer } from "@/scripts/qstash-server";
import { waitFor } from "../../support/api";
import { startSink, type Sink as RecordingSink } from "../../support/sink";

const backoffBaseMs = 20;

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

interface SinkReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  /** Never answer; the request stays open until the caller gives up. */
  hang?: boolean;
}

type Responder = (request: Received, index: number) => SinkReply;

/** A destination on the shared sink that keeps every request per path and answers as each test scripts it. */
class Sink {
  private readonly requests = new Map<string, Received[]>();
  private readonly responders = new Map<string, Responder>();
  private readonly inFlight = new Map<string, { now: number; max: number }>();
  private readonly abandoned = new Map<string, number>();
  private sink: RecordingSink | undefined;
  url = "";

  async start(): Promise<void> {
    this.sink = await startSink({
      respond: (request, res) => {
        const path = request.path.split("?")[0] ?? "/";
        const received = { ...request, path, at: Date.now() };
        const list = this.requests.get(path) ?? [];
        list.push(received);
        this.requests.set(path, list);
        const reply = (this.responders.get(path) ?? ((): SinkReply => ({})))(received, list.length - 1);
        if (reply.hang) {
          res.on("close", () => this.abandoned.set(path, (this.abandoned.get(path) ?? 0) + 1));
          return;
        }
        const load = this.inFlight.get(path) ?? { now: 0, max: 0 };
        load.now += 1;
        load.max = Math.max(load.max, load.now);
        this.inFlight.set(path, load);
        setTimeout(() => {
          load.now -= 1;
          res.writeHead(reply.status ?? 200, reply.headers);
          res.end(reply.body ?? "ok");
        }, reply.delayMs ?? 0);
      },
    });
    this.url = this.sink.url;
  }

  respond(path: string, responder: Responder): void {
    this.responders.set(path, responder);
  }

  received(path: string): Received[] {
    return this.requests.get(path) ?? [];
  }

  /** Hung requests whose caller gave up and closed the connection. */
  abandonedCount(path: string): number {
    return this.abandoned.get(path) ?? 0;
  }

  maxConcurrent(path: string): number {
    return this.inFlight.get(path)?.max ?? 0;
  }

  async close(): Promise<void> {
    await this.sink?.close();
  }
}

/** Waits until `path` has received at least `count` requests and returns them all. */
async function deliveries(path: string, count = 1): Promise<Received[]> {
  return await waitFor(() => sink.received(path).length >= count && sink.received(path), {
    what: `${count} request(s) to ${path}`,
  });
}

const receiver = new Receiver({
  currentSigningKey: devCredentials.currentSigningKey,
  nextSigningKey: devCredentials.nextSigningKey,
});

function signatureOf(request: Received): string {
  const signature = request.headers["upstash-signature"];
  if (typeof signature !== "string") throw new Error(`no Upstash-Signature on ${request.method} ${request.path}`);
  return signature;
}

function decodeBase64(value: unknown): string {
  return Buffer.from(String(value), "base64").toString("utf8");
}

// The SDK does not export its DlqMessage type.
type DlqMessage = Awaited<ReturnType<Client["dlq"]["listMessages"]>>["messages"][number];

async function dlqEntries(url: string): Promise<DlqMessage[]> {
  return (await client.dlq.listMessages({ filter: { url } })).messages;
}

/** GET /v2/messages/:id answers 404 once a message is delivered, failed or cancelled. */
async function isGone(messageId: string): Promise<boolean> {
  const error = await client.messages.get(messageId).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  return error instanceof QstashError && error.status === 404;
}

async function rejectionOf(promise: Promise<unknown>): Promise<QstashError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof QstashError)) throw new Error(`expected a QstashError, got ${String(error)}`);
  return error;
}

let server: QstashServer;
let client: Client;
const sink = new Sink();
let pathCounter = 0;
/** A fresh sink path per use, so tests never see each other's requests. */
const freshPath = (name: string): string => `/${name}-${++pathCounter}`;

beforeAll(async () => {
  await sink.start();
  server = await startQstashServer({ port: 0, backoffBaseMs });
  client = new Client({ baseUrl: server.url, token: devCredentials.token, enableTelemetry: false });
});

afterAll(async () => {
  await server?.close();
  await sink.close();
});

describe("publish and delivery", () => {
  test("delivers a published message signed for its exact URL, which the SDK Receiver verifies", async () => {
    const path = freshPath("signed");
    const url = `${sink.url}${path}?tenant=a&x=1`;
    const { messageId } = await client.publishJSON({ url, body: { hello: "world" } });

    const [request] = await deliveries(path);
    const signature = signatureOf(request);
    await expect(receiver.verify({ signature, body: request.body, url })).resolves.toBe(true);
    const withoutQuery = `${sink.url}${path}`;
    const wrongUrl = receiver.verify({ signature, body: request.body, url: withoutQuery });
    await expect(wrongUrl).rejects.toThrow(/invalid subject/);
    await expect(receiver.verify({ signature, body: `${request.body} `, url })).rejects.toThrow(/body hash/);
    const strangers = new Receiver({ currentSigningKey: "sig_wrong", nextSigningKey: "sig_wrong_too" });
    await expect(strangers.verify({ signature, body: request.body, url })).rejects.toThrow();

    const claims = decodeJwt(signature);
    expect(claims).toMatchObject({ iss: "Upstash", sub: url });
    expect(claims.exp).toBe((claims.iat ?? 0) + 300);
    expect(claims.nbf).toBe(claims.iat);
    expect(typeof claims.jti).toBe("string");
    expect(request.headers["upstash-message-id"]).toBe(messageId);
    expect(request.headers["upstash-retried"]).toBe("0");
    // QStash never tells the destination its retry budget.
    expect(request.headers["upstash-retries"]).toBeUndefined();
    expect(request.headers["user-agent"]).toBe("Upstash-QStash");
  });

  test("keeps the method, forwarded headers, content type and raw body, and never forwards the token", async () => {
    const path = freshPath("intact");
    const body = 'raw text ✓ with "quotes"\nand a newline';
    await client.publish({
      url: `${sink.url}${path}`,
      method: "PUT",
      body,
      headers: { "Content-Type": "text/plain; charset=utf-8", "X-Trace-Id": "trace-123" },
    });

    const [request] = await deliveries(path);
    expect(request.method).toBe("PUT");
    expect(request.body).toBe(body);
    expect(request.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(request.headers["x-trace-id"]).toBe("trace-123");
    expect(Object.keys(request.headers).filter((name) => name.startsWith("upstash-forward-"))).toEqual([]);
    expect(request.headers.authorization).toBeUndefined();
    expect(JSON.stringify(request.headers)).not.toContain(devCredentials.token);
  });

  test("batchJSON answers one id per entry and delivers each entry to its own destination", async () => {
    const [first, second] = [freshPath("batch-a"), freshPath("batch-b")];
    const replies = await client.batchJSON([
      { url: `${sink.url}${first}`, body: { n: 1 } },
      { url: `${sink.url}${second}`, body: { n: 2 }, headers: { "X-Entry": "two" } },
    ]);

    expect(replies).toHaveLength(2);
    expect(replies[0].messageId).not.toBe(replies[1].messageId);
    const [a] = await deliveries(first);
    const [b] = await deliveries(second);
    expect([a.headers["upstash-message-id"], JSON.parse(a.body)]).toEqual([replies[0].messageId, { n: 1 }]);
    expect([b.headers["upstash-message-id"], JSON.parse(b.body)]).toEqual([replies[1].messageId, { n: 2 }]);
    expect(b.headers["x-entry"]).toBe("two");
  });

  test("a batch is answered entry by entry: a bad entry gets {error} in its slot and the others are sent", async () => {
    const [first, last] = [freshPath("batch-each-a"), freshPath("batch-each-c")];
    const replies = (await client.batch([
      { url: `${sink.url}${first}`, body: "good one" },
      { url: `${sink.url}${first}`, body: "bad", headers: { "Upstash-Retries": "many" } },
      { url: `${sink.url}${last}`, body: "good two" },
    ])) as unknown as Array<{ messageId?: string; error?: string }>;

    expect(replies).toHaveLength(3);
    expect(replies[1]).toEqual({ error: expect.stringContaining("Upstash-Retries") });
    expect(replies[1].messageId).toBeUndefined();
    expect([typeof replies[0].messageId, typeof replies[2].messageId]).toEqual(["string", "string"]);
    const [a] = await deliveries(first);
    const [c] = await deliveries(last);
    expect([a.body, c.body]).toEqual(["good one", "good two"]);
    expect(sink.received(first)).toHaveLength(1);
  });

  test("a batch destination that is not a URL is read as a URL group name, unknown here", async () => {
    const path = freshPath("batch-group");
    const replies = (await client.batch([
      { url: "not-a-url", body: "to a group" },
      { url: `${sink.url}${path}`, body: "still sent" },
    ])) as unknown as Array<{ messageId?: string; error?: string }>;

    expect(replies[0]).toEqual({ error: 'url group "not-a-url" not found' });
    await deliveries(path);
  });
});

describe("deduplication", () => {
  test("a repeated Upstash-Deduplication-Id answers 202 with the first id and is delivered once", async () => {
    const path = freshPath("dedup");
    const url = `${sink.url}${path}`;
    const first = await client.publish({ url, body: "once", deduplicationId: `dedup-${path}` });
    const again = await fetch(`${server.url}/v2/publish/${url}`, {
      method: "POST",
      headers: { authorization: `Bearer ${devCredentials.token}`, "upstash-deduplication-id": `dedup-${path}` },
      body: "once",
    });

    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ messageId: first.messageId, url, deduplicated: true });
    // A later marker arrives after anything published before it would have.
    await client.publish({ url, body: "marker" });
    await waitFor(() => sink.received(path).some((r) => r.body === "marker"), { what: "marker" });
    expect(
      sink
        .received(path)
        .map((r) => r.body)
        .sort(),
    ).toEqual(["marker", "once"]);
  });

  test("content-based deduplication matches an identical body and lets a different one through", async () => {
    const url = `${sink.url}${freshPath("content-dedup")}`;
    const first = await client.publish({ url, body: "same", contentBasedDeduplication: true });
    const same = await client.publish({ url, body: "same", contentBasedDeduplication: true });
    const other = await client.publish({ url, body: "different", contentBasedDeduplication: true });

    expect(same).toEqual({ messageId: first.messageId, url, deduplicated: true });
    expect(other.messageId).not.toBe(first.messageId);
    expect(other.deduplicated).toBeFalsy();
  });
});

describe("scheduling", () => {
  test("Upstash-Delay and Upstash-Not-Before are never delivered early", async () => {
    const [delayed, notBefore] = [freshPath("delay"), freshPath("not-before")];
    const publishedAt = Date.now();
    const notBeforeSeconds = Math.ceil(publishedAt / 1_000) + 1;
    const { messageId } = await client.publish({ url: `${sink.url}${delayed}`, body: "later", delay: 1 });
    await client.publish({ url: `${sink.url}${notBefore}`, body: "at", notBefore: notBeforeSeconds });

    const pending = await client.messages.get(messageId);
    expect(pending.notBefore).toBeGreaterThanOrEqual(pending.createdAt + 1_000);
    const [a] = await deliveries(delayed);
    const [b] = await deliveries(notBefore);
    // 5 ms of slack for Date.now()'s granularity against the timer's.
    expect(a.at - publishedAt).toBeGreaterThanOrEqual(1_000 - 5);
    expect(b.at).toBeGreaterThanOrEqual(notBeforeSeconds * 1_000 - 5);
  });

  test("Upstash-Flow-Control-Value parallelism=1 never runs two deliveries of a key at once", async () => {
    const path = freshPath("flow");
    sink.respond(path, () => ({ delayMs: 100 }));
    const flowControl = { key: `flow-${path}`, parallelism: 1 };
    const url = `${sink.url}${path}`;
    await Promise.all([1, 2, 3].map((n) => client.publish({ url, body: `m${n}`, flowControl })));

    await waitFor(() => sink.received(path).length === 3, { what: "three deliveries" });
    expect(sink.maxConcurrent(path)).toBe(1);
  });
  test("paused deliveries are held, still accepted, and delivered in order once resumed", async () => {
    const path = freshPath("paused");
    server.pauseDeliveries();
    let resumedAt = 0;
    try {
      const first = await client.publish({ url: `${sink.url}${path}`, body: "one" });
      await client.publish({ url: `${sink.url}${path}`, body: "two" });
      expect((await client.messages.get(first.messageId)).messageId).toBe(first.messageId);
      // The pause is the behaviour under test: give a running scheduler ample time to deliver.
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(sink.received(path)).toHaveLength(0);
    } finally {
      resumedAt = Date.now();
      server.resumeDeliveries();
    }
    const arrived = await deliveries(path, 2);
    expect(arrived.map((request) => request.body)).toEqual(["one", "two"]);
    expect(arrived.every((request) => request.at >= resumedAt)).toBe(true);
  });
});

describe("retries", () => {
  test("a failing destination is retried with backoff and Upstash-Retried 0, 1, 2 until it answers 2xx", async () => {
    const path = freshPath("retry");
    sink.respond(path, (_request, index) => ({ status: index < 2 ? 500 : 200 }));
    const { messageId } = await client.publish({ url: `${sink.url}${path}`, body: "flaky" });

    const requests = await deliveries(path, 3);
    expect(requests.map((r) => r.headers["upstash-retried"])).toEqual(["0", "1", "2"]);
    expect(requests.every((r) => r.headers["upstash-message-id"] === messageId)).toBe(true);
    expect(requests[1].at - requests[0].at).toBeGreaterThanOrEqual(backoffBaseMs);
    expect(requests[2].at - requests[1].at).toBeGreaterThanOrEqual(backoffBaseMs * 2);
    // The sink saw the 2xx before the server did; once it has, the message is gone.
    await waitFor(() => isGone(messageId), { what: "the delivered message to disappear" });
    expect((await client.dlq.listMessages({ filter: { messageId } })).messages).toEqual([]);
  });

  test("a Retry-After reply sets the next attempt's delay", async () => {
    const path = freshPath("retry-after");
    const busy = { status: 503, headers: { "Retry-After": "1" } };
    sink.respond(path, (_request, index) => (index === 0 ? busy : { status: 200 }));
    await client.publish({ url: `${sink.url}${path}`, body: "wait" });

    const requests = await deliveries(path, 2);
    expect(requests[1].at - requests[0].at).toBeGreaterThanOrEqual(1_000 - 5);
  });

  test("Upstash-Retry-Delay is evaluated per retry, and an expression it cannot parse is a 400", async () => {
    const path = freshPath("retry-delay");
    sink.respond(path, (_request, index) => ({ status: index === 0 ? 500 : 200 }));
    await client.publish({ url: `${sink.url}${path}`, body: "x", retryDelay: "max(300, 100 * retried)" });

    const requests = await deliveries(path, 2);
    expect(requests[1].at - requests[0].at).toBeGreaterThanOrEqual(300 - 5);
    const unsupported = client.publish({ url: `${sink.url}${path}`, body: "x", retryDelay: "process.exit(1)" });
    expect((await rejectionOf(unsupported)).status).toBe(400);
  });
});

describe("failures, DLQ and callbacks", () => {
  test("489 + Upstash-NonRetryable-Error fails at once into the DLQ and fires a signed failure callback", async () => {
    const [path, callbackPath] = [freshPath("non-retryable"), freshPath("failure-callback")];
    const nonRetryable = { "Upstash-NonRetryable-Error": "true" };
    sink.respond(path, () => ({ status: 489, headers: nonRetryable, body: "bad payload" }));
    const url = `${sink.url}${path}`;
    const failureCallback = `${sink.url}${callbackPath}`;
    const { messageId } = await client.publishJSON({ url, body: { job: 1 }, retries: 3, failureCallback });

    const [callback] = await deliveries(callbackPath);
    const signature = signatureOf(callback);
    await expect(receiver.verify({ signature, body: callback.body, url: failureCallback })).resolves.toBe(true);
    const payload = JSON.parse(callback.body) as Record<string, unknown>;
    expect(payload).toMatchObject({ status: 489, retried: 0, maxRetries: 3, sourceMessageId: messageId, url });
    expect(payload.method).toBe("POST");
    expect(decodeBase64(payload.body)).toBe("bad payload");
    expect(JSON.parse(decodeBase64(payload.sourceBody))).toEqual({ job: 1 });
    expect(payload.sourceHeader).toMatchObject({ "Content-Type": ["application/json"] });
    expect(sink.received(path)).toHaveLength(1);

    const { messages } = await client.dlq.listMessages({ filter: { messageId } });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ dlqId: payload.dlqId, messageId, url, responseStatus: 489 });
    expect(messages[0].responseBody).toBe("bad payload");
  });

  test("exhausted retries go to the DLQ with a failure callback reporting the last response", async () => {
    const [path, callbackPath] = [freshPath("exhausted"), freshPath("exhausted-callback")];
    sink.respond(path, (_request, index) => ({ status: 500, body: `failure ${index}` }));
    const url = `${sink.url}${path}`;
    const failureCallback = `${sink.url}${callbackPath}`;
    const { messageId } = await client.publish({ url, body: "doomed", retries: 2, failureCallback });

    const [callback] = await deliveries(callbackPath);
    expect(sink.received(path).map((r) => r.headers["upstash-retried"])).toEqual(["0", "1", "2"]);
    const payload = JSON.parse(callback.body) as Record<string, unknown>;
    expect(payload).toMatchObject({ status: 500, retried: 2, maxRetries: 2, sourceMessageId: messageId });
    expect(decodeBase64(payload.body)).toBe("failure 2");
    const { messages } = await client.dlq.listMessages({ filter: { url } });
    expect(messages.map((m) => [m.messageId, m.dlqId])).toEqual([[messageId, payload.dlqId]]);

    await client.dlq.delete(String(payload.dlqId));
    expect((await client.dlq.listMessages({ filter: { url } })).messages).toEqual([]);
  });

  test("dlq.retry republishes a DLQ message under a new id and removes it from the DLQ", async () => {
    const path = freshPath("dlq-retry");
    sink.respond(path, (_request, index) => ({ status: index === 0 ? 500 : 200 }));
    const url = `${sink.url}${path}`;
    const { messageId } = await client.publish({ url, body: "second chance", retries: 0 });
    const [entry] = await waitFor(
      async () => {
        const entries = await dlqEntries(url);
        return entries.length > 0 && entries;
      },
      { what: "the DLQ entry" },
    );

    const { responses } = await client.dlq.retry(entry.dlqId);
    expect(responses).toHaveLength(1);
    expect(responses[0].messageId).not.toBe(messageId);
    const [, retried] = await deliveries(path, 2);
    expect([retried.headers["upstash-message-id"], retried.headers["upstash-retried"], retried.body]).toEqual([responses[0].messageId, "0", "second chance"]);
    expect(await dlqEntries(url)).toEqual([]);
  });

  test("a success callback receives the 2xx status and the destination's response body", async () => {
    const [path, callbackPath] = [freshPath("succeeds"), freshPath("success-callback")];
    sink.respond(path, () => ({ status: 201, body: "created" }));
    const callbackUrl = `${sink.url}${callbackPath}`;
    const { messageId } = await client.publish({ url: `${sink.url}${path}`, body: "go", callback: callbackUrl });

    const [callback] = await deliveries(callbackPath);
    const signature = signatureOf(callback);
    await expect(receiver.verify({ signature, body: callback.body, url: callbackUrl })).resolves.toBe(true);
    const payload = JSON.parse(callback.body) as Record<string, unknown>;
    expect(payload).toMatchObject({ status: 201, retried: 0, sourceMessageId: messageId });
    expect(decodeBase64(payload.body)).toBe("created");
    expect(payload.dlqId).toBeUndefined();
  });
});

describe("messages API", () => {
  test("messages.get shows a pending message and messages.delete cancels it before delivery", async () => {
    const path = freshPath("cancel");
    const url = `${sink.url}${path}`;
    const { messageId } = await client.publish({
      url,
      body: "never",
      delay: 1,
      headers: { "X-Kind": "cancel-me" },
      failureCallback: `${sink.url}/unused`,
    });

    const message = await client.messages.get(messageId);
    expect(message).toMatchObject({ messageId, url, method: "POST", body: "never", maxRetries: 3 });
    expect(message.failureCallback).toBe(`${sink.url}/unused`);
    expect(message.header).toMatchObject({ "X-Kind": ["cancel-me"] });
    await client.messages.delete(messageId);
    expect((await rejectionOf(client.messages.get(messageId))).status).toBe(404);
    expect((await rejectionOf(client.messages.delete(messageId))).status).toBe(404);

    // Due after the cancelled one: if that were still pending, it would arrive first.
    await client.publish({ url, body: "marker", delay: 1 });
    await waitFor(() => sink.received(path).length > 0, { what: "marker" });
    expect(sink.received(path).map((r) => r.body)).toEqual(["marker"]);
  });

  test("deleteMany and deleteAll cancel pending messages and report how many", async () => {
    const url = `${sink.url}${freshPath("bulk-cancel")}`;
    const a = await client.publish({ url, body: "a", delay: 60 });
    const b = await client.publish({ url, body: "b", delay: 60 });

    expect(await client.messages.deleteMany([a.messageId])).toBe(1);
    expect(await client.messages.deleteAll()).toBeGreaterThanOrEqual(1);
    expect((await rejectionOf(client.messages.get(b.messageId))).status).toBe(404);
  });
});

describe("keys, auth and input limits", () => {
  test("GET /v2/keys returns the current and next signing keys", async () => {
    const authorization = `Bearer ${devCredentials.token}`;
    const response = await fetch(`${server.url}/v2/keys`, { headers: { authorization } });
    expect(response.status).toBe(200);
    const { currentSigningKey: current, nextSigningKey: next } = devCredentials;
    expect(await response.json()).toEqual({ current, next });
  });

  test("a wrong or missing bearer token is a 401 with a JSON error", async () => {
    const wrong = new Client({ baseUrl: server.url, token: "not-the-token", enableTelemetry: false });
    expect((await rejectionOf(wrong.publish({ url: `${sink.url}/unused`, body: "x" }))).status).toBe(401);
    const missing = await fetch(`${server.url}/v2/keys`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: expect.any(String) });
  });

  test("a body over 1 MB is a 413; exactly 1 MB is accepted", async () => {
    const url = `${sink.url}${freshPath("size")}`;
    const oversize = await rejectionOf(client.publish({ url, body: "x".repeat(1024 * 1024 + 1) }));
    expect(oversize.status).toBe(413);
    expect(JSON.parse(oversize.message)).toEqual({ error: expect.stringContaining("limit") });
    await expect(client.publish({ url, body: "x".repeat(1024 * 1024), delay: 60 })).resolves.toMatchObject({ url });
  });

  test("a destination URL that is not http(s) is a 400; a bare name is an unknown URL group, a 404", async () => {
    for (const url of ["ftp://example.com/file", "javascript:alert(1)"]) {
      const error = await rejectionOf(client.publish({ url, body: "x" }));
      expect([url, error.status]).toEqual([url, 400]);
    }
    expect((await rejectionOf(client.publish({ url: "not-a-url", body: "x" }))).status).toBe(404);
  });
});

describe("close", () => {
  test("close() aborts in-flight deliveries, drops scheduled retries and resolves promptly", async () => {
    const lines: string[] = [];
    const retryMs = 150;
    const own = await startQstashServer({ port: 0, backoffBaseMs: retryMs, log: (line) => lines.push(line) });
    const ownClient = new Client({ baseUrl: own.url, token: devCredentials.token, enableTelemetry: false });
    const [hanging, failing] = [freshPath("hang"), freshPath("fail-always")];
    sink.respond(hanging, () => ({ hang: true }));
    sink.respond(failing, () => ({ status: 500 }));
    await ownClient.publish({ url: `${sink.url}${hanging}`, body: "stuck" });
    const { messageId } = await ownClient.publish({ url: `${sink.url}${failing}`, body: "again" });
    await waitFor(() => sink.received(hanging).length === 1, { what: "the hanging delivery" });
    const retryScheduled = (): boolean => lines.some((line) => line.startsWith(`retrying ${messageId}`));
    await waitFor(retryScheduled, { what: "a scheduled retry" });

    const startedAt = Date.now();
    await own.close();
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    await waitFor(() => sink.abandonedCount(hanging) === 1, { what: "the in-flight delivery to be aborted" });
    await expect(fetch(`${own.url}/v2/keys`)).rejects.toThrow();
    // Proving an absence takes a wait: three retry intervals with no new attempt.
    const attempts = sink.received(failing).length;
    const anotherAttempt = waitFor(() => sink.received(failing).length > attempts, { timeoutMs: retryMs * 3 });
    await expect(anotherAttempt).rejects.toThrow(/^Timed out waiting for/);
  });
});

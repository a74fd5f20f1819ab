// The local QStash server forwards the headers a publisher sends for a callback as openapi.yaml
// (publish parameters) documents: `Upstash-Callback-Forward-*` to the callback and
// `Upstash-Failure-Callback-Forward-*` to the failure callback, each without its prefix and to
// that one message only. The app sends Vercel's protection bypass this way
// (lib/qstash/forward-headers.ts), so failure callbacks reach a protected deployment.
import { describe, expect, test } from "vitest";
import { waitFor } from "../../support/api";
import { startSink } from "../../support/sink";
import { closeAfter, deliveredHeaders, headerNames, startLocalQstash } from "./qstash-stack";

describe("headers forwarded to callbacks", () => {
  test("Upstash-Failure-Callback-Forward-* reach only the failure callback, Upstash-Callback-Forward-* only the callback", async () => {
    const { client } = await startLocalQstash();
    const sink = await startSink();
    closeAfter(sink);
    sink.script([489], { "upstash-nonretryable-error": "true" });
    const headers = { "Upstash-Failure-Callback-Forward-X-Bypass": "for-failure", "Upstash-Callback-Forward-X-Bypass": "for-callback" };
    const arrived = (path: string) => waitFor(async () => sink.requests.some((request) => request.path === path), { what: path });
    await client.publishJSON({ url: `${sink.url}/refuses`, body: { a: 1 }, retries: 0, headers, failureCallback: `${sink.url}/failed` });
    await arrived("/failed");
    await client.publishJSON({ url: `${sink.url}/takes`, body: { a: 2 }, retries: 0, headers, callback: `${sink.url}/called` });
    await arrived("/called");
    const bypassAt = (path: string) => sink.requests.filter((request) => request.path === path).map((request) => request.headers["x-bypass"]);

    expect(bypassAt("/failed")).toEqual(["for-failure"]);
    expect(bypassAt("/called")).toEqual(["for-callback"]);
    expect(bypassAt("/refuses")).toEqual([undefined]);
    expect(bypassAt("/takes")).toEqual([undefined]);
    const failed = sink.requests.find((request) => request.path === "/failed");
    expect(headerNames(failed?.headers ?? {})).toEqual([...deliveredHeaders, "x-bypass"].sort());
  });
});

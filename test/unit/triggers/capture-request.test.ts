import { describe, expect, it } from "vitest";
import { captureBody, captureHeaders, captureQuery, maxCapturedHeaders } from "@/lib/triggers/capture-request";

describe("capturing a trigger request", () => {
  it("drops hop-by-hop headers and masks credentials", () => {
    const headers = new Headers({
      connection: "keep-alive",
      "transfer-encoding": "chunked",
      authorization: "Bearer x",
      cookie: "a=b",
      "x-trigger-token": "t",
      "x-github-event": "push",
    });
    expect(captureHeaders(headers, ["X-Trigger-Token"])).toEqual({
      authorization: "***",
      cookie: "***",
      "x-trigger-token": "***",
      "x-github-event": "push",
    });
  });

  it("keeps at most the header limit", () => {
    const headers = new Headers();
    for (let index = 0; index < maxCapturedHeaders + 50; index += 1) headers.set(`x-h${index}`, "v");
    expect(Object.keys(captureHeaders(headers))).toHaveLength(maxCapturedHeaders);
  });

  it("turns repeated query parameters into arrays", () => {
    expect(captureQuery(new URL("https://x/?a=1&b=2&b=3&c=").searchParams)).toEqual({ a: "1", b: ["2", "3"], c: "" });
  });

  it("keeps text as UTF-8 and anything else as base64", () => {
    expect(captureBody(new TextEncoder().encode("héllo"))).toEqual({ body: "héllo", bodyEncoding: "utf8" });
    expect(captureBody(new Uint8Array([0xc3, 0x28]))).toEqual({ body: "wyg=", bodyEncoding: "base64" });
  });

  it("keeps a body with a NUL byte as base64 and a %00 in the query as U+FFFD: Postgres text cannot hold U+0000", () => {
    expect(captureBody(new TextEncoder().encode("a\u0000b"))).toEqual({ body: "YQBi", bodyEncoding: "base64" });
    expect(captureQuery(new URL("https://x/?a=%00&b%00=1").searchParams)).toEqual({ a: "\uFFFD", "b\uFFFD": "1" });
  });
});

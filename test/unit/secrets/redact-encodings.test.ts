// The second net over recorded attempts: a credential is masked in whatever form an encoder on
// the way gave it, before any cut, and short values are masked where they stand alone.
import { describe, expect, it } from "vitest";
import { maskThenTruncate, maskTruncatedTail, redactValue, secretForms } from "@/lib/secrets/redact";
import { buildRenderers } from "@/lib/destinations/send-context";
import type { DeliveryJob } from "@/lib/deliveries/job";
import { escapeXml, stripControlCharacters } from "@/lib/templates/values";

// Every character here is changed by at least one encoder.
const secret = "p w!&<\"+/=é'\nx~";

function urlSerialized(set: (url: URL) => string): string {
  return set(new URL("http://h/"));
}

const encodings: Array<[string, string]> = [
  ["encodeURIComponent", encodeURIComponent(secret)],
  ["URLSearchParams (+ for space, %21 for !)", new URLSearchParams({ k: secret }).toString().slice(2)],
  [
    "x-www-form-urlencoded, lower-case hex",
    new URLSearchParams({ k: secret })
      .toString()
      .slice(2)
      .replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
  ],
  ["WHATWG URL path", urlSerialized((url) => ((url.pathname = `/${secret}`), url.pathname.slice(1)))],
  ["WHATWG URL query", urlSerialized((url) => ((url.search = secret), url.search.slice(1)))],
  ["WHATWG URL userinfo", urlSerialized((url) => ((url.username = secret), url.username))],
  ["JSON string", JSON.stringify(secret).slice(1, -1)],
  ["JSON string, ASCII only", JSON.stringify(secret).slice(1, -1).replace("é", "\\u00e9")],
  ["XML entities", escapeXml(secret)],
  ["XML numeric references", secret.replace("&", "&#38;").replace("<", "&#60;").replace('"', "&#34;").replace("'", "&#39;")],
  ["header value with controls stripped", stripControlCharacters(secret)],
  ["base64", Buffer.from(secret).toString("base64")],
];

describe("secret masking in every encoding", () => {
  it.each(encodings)("masks the %s form", (_label, form) => {
    expect(form).not.toBe(secret);
    const stored = redactValue({ text: `before ${form} after`, nested: [{ deep: `x${form}x` }] }, secretForms([secret]));
    expect(stored.text).toBe("before *** after");
    expect(stored.nested[0]?.deep).toBe("x***x");
  });

  it("masks before cutting, so a secret straddling the cut leaves no prefix behind", () => {
    const text = `${"a".repeat(95)}${secret}${"b".repeat(50)}`;
    const cut = maskThenTruncate(text, secretForms([secret]), 100);
    expect(cut).toBe(`${"a".repeat(95)}***bb`);
    expect(cut).not.toContain(secret.slice(0, 3));
  });

  it("masks the head of a secret left at the end of text cut short elsewhere", () => {
    const sampled = `{"echo":"${encodeURIComponent(secret).slice(0, 7)}`;
    expect(maskTruncatedTail(sampled, secretForms([secret]))).toBe('{"echo":"***');
    expect(maskTruncatedTail('{"echo":"nothing"}', secretForms([secret]))).toBe('{"echo":"nothing"}');
  });

  it("masks a short secret where it stands as a token, not inside other words", () => {
    const forms = secretForms(["k9", "a b"]);
    expect(redactValue({ t: "key=k9&other=k99 k9" }, forms).t).toBe("key=***&other=k99 ***");
    expect(redactValue({ t: "q=a+b" }, forms).t).toBe("q=***");
    expect(redactValue({ t: "ak9b" }, forms).t).toBe("ak9b");
  });

  it("masks credential headers by name from the one list, whatever their value", () => {
    const stored = redactValue({ headers: { "X-Auth-Token": "whatever", "proxy-authorization": "Basic eA==", accept: "x" } }, []);
    expect(stored.headers).toEqual({ "X-Auth-Token": "***", "proxy-authorization": "***", accept: "x" });
  });
});

describe("the recorded rendering", () => {
  const job: DeliveryJob = {
    v: 1,
    deliveryId: "0198d0d2-0000-7000-8000-000000000001",
    eventId: "0198d0d2-0000-7000-8000-000000000002",
    callbackId: "0198d0d2-0000-7000-8000-000000000003",
    destinationId: "0198d0d2-0000-7000-8000-000000000004",
    kind: "http",
    request: { method: "POST", path: "/t", query: {}, headers: { "content-type": "application/json" }, body: '{"n":1}', bodyEncoding: "utf8", receivedAt: new Date().toISOString() },
  };

  it("shows every {secret:…} as *** with the same {uuid} and event values as the sent rendering", () => {
    const { render, renderForRecord } = buildRenderers(job, { id: job.destinationId, variables: {}, secrets: { KEY: secret }, triggerVars: {} }, 1);
    const template = '{"id":"{uuid}","n":{body.n},"key":"{secret:KEY}"}';
    const sent = JSON.parse(render(template, "json")) as Record<string, unknown>;
    const recorded = JSON.parse(renderForRecord(template, "json")) as Record<string, unknown>;
    expect(sent.key).toBe(secret);
    expect(recorded).toEqual({ ...sent, key: "***" });
  });
});

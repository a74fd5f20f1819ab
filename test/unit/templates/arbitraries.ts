// fast-check generators for the template property tests: hostile templates and hostile events.
import fc from "fast-check";
import type { TemplateContext } from "@/lib/templates";
import { templateModes } from "@/lib/templates";

export const anyMode = fc.constantFrom(...templateModes);

const nasty = fc.constantFrom(
  '"',
  "\\",
  "{",
  "}",
  "{{",
  "[",
  "]",
  ",",
  ":",
  "/",
  "+",
  "#",
  "\r\n",
  "\n",
  "\u0000",
  "\u2028",
  "\uD800",
  "\uDC00",
  "\\u",
  " ",
  "null",
  "1",
  "..",
  "?",
  "&",
  "=",
  "<",
  "@",
  "%",
  "https://x.com/",
);
/** Arbitrary text leaning towards characters that matter to some mode. */
export const hostileText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.array(fc.oneof(nasty, fc.string({ maxLength: 4 })), { maxLength: 8 }).map((parts) => parts.join("")),
);

const placeholders = [
  "{uuid}",
  "{timestamp}",
  "{timestamp_ms}",
  "{attempt}",
  "{event_id}",
  "{delivery_id}",
  "{method}",
  "{path}",
  "{query.q}",
  "{query.tags}",
  "{header.x-a}",
  "{header.X-B}",
  "{body}",
  "{body.a}",
  "{body.a.b}",
  "{body.items.0}",
  "{original_payload}",
  "{var.v}",
  "{var.missing}",
  "{env:TRIGGER_VAR_X}",
  "{secret:S}",
  "{secret:NOPE}",
];
const anyPlaceholder = fc.constantFrom(...placeholders);

const mixedParts = fc.array(fc.oneof(anyPlaceholder, nasty, fc.string({ maxLength: 5 })), { maxLength: 14 }).map((parts) => parts.join(""));
// A recognisable start gives url and topic templates a real chance of rendering.
const start = fc.constantFrom("https://x.com/", "{var.v}/", "{body.a}", "devices/", "");

export const anyTemplate = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  mixedParts,
  fc.tuple(start, mixedParts).map(([prefix, rest]) => prefix + rest),
);

// Mostly-valid URL and topic shapes, so those modes' output checks see real successes.
const urlPiece = fc.oneof(anyPlaceholder, fc.stringMatching(/^[a-z0-9/?&=.-]{0,6}$/));
export const urlTemplate = fc
  .tuple(fc.constantFrom("https://x.com/", "http://x.com:8080/a?", "{var.v}", "{body.a}/"), fc.array(urlPiece, { maxLength: 6 }))
  .map(([prefix, pieces]) => prefix + pieces.join(""));

/** JSON text with placeholders in string and value positions, using only values that always exist. */
const presentPlaceholder = fc.constantFrom("{attempt}", "{event_id}", "{body}", "{body.a}", "{header.x-a}", "{var.v}", "{secret:S}", "{query.tags}");
const jsonSafeText = fc.string({ unit: "binary", maxLength: 6 }).map((text) => JSON.stringify(text).slice(1, -1).replace(/\{/g, "{{"));
const jsonMember = fc.oneof(
  presentPlaceholder,
  fc.tuple(jsonSafeText, presentPlaceholder, jsonSafeText).map(([before, placeholder, after]) => `"${before}${placeholder}${after}"`),
  fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value).replace(/\{/g, "{{")),
);
export const jsonTemplate = fc
  .array(fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), jsonMember), { maxLength: 6 })
  .map((members) => `{${members.map(([key, value]) => `"${key}":${value}`).join(",")}}`);

const anyBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.record({ a: fc.oneof(hostileText, fc.jsonValue({ maxDepth: 2 })) }).map((value) => JSON.stringify(value)),
  fc.tuple(hostileText, hostileText).map(([a, b]) => `a=${encodeURIComponent(a.replace(/[\uD800-\uDFFF]/g, ""))}&x=${b}`),
  hostileText,
);

export const anyContext: fc.Arbitrary<TemplateContext> = fc
  .record({
    body: anyBody,
    contentType: fc.constantFrom(undefined, "application/json", "application/x-www-form-urlencoded", "text/plain"),
    bodyEncoding: fc.constantFrom<"utf8" | "base64">("utf8", "utf8", "base64"),
    headerA: hostileText,
    headerB: hostileText,
    extraHeaders: fc.dictionary(fc.string({ maxLength: 6 }), hostileText, { maxKeys: 3 }),
    query: fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(hostileText, fc.array(hostileText, { maxLength: 3 })), { maxKeys: 3 }),
    tags: fc.array(hostileText, { maxLength: 3 }),
    varValue: hostileText,
    envValue: hostileText,
    secretValue: hostileText,
    path: hostileText,
    attempt: fc.integer({ min: 0, max: 100 }),
  })
  .map((input) => ({
    event: {
      id: "evt_1",
      callbackId: "cb_1",
      receivedAt: "2024-01-01T00:00:00.000Z",
      method: "POST",
      path: input.path,
      query: { ...input.query, q: input.varValue, tags: input.tags },
      headers: { ...input.extraHeaders, "x-a": input.headerA, "X-B": input.headerB },
      body: input.body,
      bodyEncoding: input.bodyEncoding,
      contentType: input.contentType,
    },
    deliveryId: "dlv_1",
    destinationId: "dst_1",
    attempt: input.attempt,
    vars: { v: input.varValue },
    env: (name: string) => (name === "TRIGGER_VAR_X" ? input.envValue : undefined),
    secrets: { S: input.secretValue },
    now: new Date(1_700_000_000_000),
    uuid: () => "00000000-0000-4000-8000-000000000000",
  }));

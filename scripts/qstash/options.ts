// Turns a publish request's Upstash-* headers into a message draft. Publish and batch both come
// through here so they accept and reject exactly the same options.
import { HttpError } from "./http-utils";
import { parseRetryDelayExpression } from "@/lib/qstash/retry-delay-expression";
import { checkQueueName } from "./queue-names";
import type { FlowControl, HeaderMap, MessageDraft } from "./types";

const defaultRetries = 3;
const methods = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const unitMs: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
// fetch rejects or overrides these; forwarding one would fail a delivery QStash would make.
const unforwardable = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive", "upgrade", "expect", "te", "trailer"]);

/** What the server's plan allows a message. */
export interface DraftLimits {
  maxMessageBytes: number;
  /** The attempt timeout of a message that sets no Upstash-Timeout: the plan's response duration. */
  defaultTimeoutMs: number;
  /** The plan's longest delay (features/delay.mdx); undefined: no cap. */
  maxDelayMs?: number;
}

export interface DraftInput {
  destination: string;
  limits: DraftLimits;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
  queueName?: string;
  now: number;
}

/** "Content-type" → "Content-Type", the form QStash's Go backend reports headers in. */
export function canonicalHeaderName(name: string): string {
  return name
    .toLowerCase()
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("-");
}

function parseHttpUrl(value: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new HttpError(400, `${what} must be a full http(s) URL, got "${value}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new HttpError(400, `${what} must use http or https, got "${value}"`);
  }
  return value;
}

/**
 * QStash reads a destination that is not a URL as the name of a URL group. This server keeps no
 * URL groups, so such a name is answered as an unknown group.
 */
function parseDestination(value: string): string {
  if (!URL.canParse(value)) throw new HttpError(404, `url group "${value}" not found`);
  return parseHttpUrl(value, "destination");
}

/** "30s", "1h30m", "250ms"; a bare number counts as seconds, as QStash does. */
function parseDuration(value: string, what: string): number {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  if (!/^(\d+(ms|s|m|h|d))+$/.test(trimmed)) {
    throw new HttpError(400, `${what} must look like "10s", "2m", "1h" or "1d", got "${value}"`);
  }
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    total += Number(amount) * unitMs[unit];
  }
  return total;
}

function parseNonNegativeInt(value: string, what: string): number {
  if (!/^\d+$/.test(value.trim())) throw new HttpError(400, `${what} must be a non-negative integer, got "${value}"`);
  return Number(value.trim());
}

function parsePositiveInt(value: string, what: string): number {
  const parsed = parseNonNegativeInt(value, what);
  if (parsed === 0) throw new HttpError(400, `${what} must be at least 1`);
  return parsed;
}

function parseMethod(value: string | undefined): string {
  const method = (value ?? "POST").trim().toUpperCase();
  if (!methods.has(method)) throw new HttpError(400, `Upstash-Method "${value}" is not supported`);
  return method;
}

function parseNotBefore(headers: Record<string, string>, now: number, maxDelayMs: number | undefined): number {
  const given = headers["upstash-not-before"];
  const delay = headers["upstash-delay"];
  const notBefore = given !== undefined ? parseNonNegativeInt(given, "Upstash-Not-Before") * 1_000 : delay === undefined ? now : now + parseDuration(delay, "Upstash-Delay");
  // The docs name the cap, not the answer past it: a 400 naming the header is this server's choice.
  if (maxDelayMs !== undefined && notBefore - now > maxDelayMs) {
    const header = given !== undefined ? "Upstash-Not-Before" : "Upstash-Delay";
    throw new HttpError(400, `${header} puts the message ${Math.ceil((notBefore - now) / 1_000)} s ahead; the plan allows at most ${maxDelayMs / 1_000} s`);
  }
  return notBefore;
}

function parseRetryDelay(expression: string | undefined): Pick<MessageDraft, "retryDelay" | "retryDelayExpression"> {
  if (expression === undefined) return {};
  const parsed = parseRetryDelayExpression(expression);
  if (!parsed.ok) throw new HttpError(400, `Upstash-Retry-Delay "${expression}" is not a valid expression: ${parsed.message}`);
  return { retryDelayExpression: expression, retryDelay: parsed.evaluate };
}

/** The changelog's April 2025 entry: a rate's period may be up to one week. */
const maxPeriodSeconds = 7 * 86_400;

export function parsePeriodSeconds(raw: string): number {
  const periodSeconds = parseDuration(raw, "period") / 1_000;
  if (periodSeconds <= 0 || periodSeconds > maxPeriodSeconds) throw new HttpError(400, `period must be more than 0 and at most 7d, got "${raw}"`);
  return periodSeconds;
}

/** "parallelism=2, rate=10, period=1m" (openapi.yaml Upstash-Flow-Control-Value); period defaults to 1s. */
function parseFlowControl(key: string | undefined, value: string | undefined): FlowControl | undefined {
  if (key === undefined) return undefined;
  const flowControl: FlowControl = { key };
  for (const pair of (value ?? "").split(",")) {
    const [name, raw] = pair.split("=").map((part) => part.trim());
    if (!name) continue;
    if (raw === undefined) throw new HttpError(400, `Upstash-Flow-Control-Value part "${pair.trim()}" has no "="`);
    if (name === "parallelism") flowControl.parallelism = parsePositiveInt(raw, "parallelism");
    else if (name === "rate") flowControl.rate = parsePositiveInt(raw, "rate");
    else if (name === "period") flowControl.periodSeconds = parsePeriodSeconds(raw);
    else throw new HttpError(400, `Upstash-Flow-Control-Value has unknown part "${name}"`);
  }
  return flowControl;
}

/**
 * openapi.yaml's /v2/enqueue lists no Upstash-Delay, Upstash-Not-Before or flow-control headers
 * and says nothing of what it does with them. Refusing them keeps an app from relying on
 * something production may ignore: an ordered message that waits or is paced is not documented.
 */
const notEnqueueOptions = ["upstash-delay", "upstash-not-before", "upstash-flow-control-key", "upstash-flow-control-value"];

function checkEnqueueHeaders(queueName: string, headers: Record<string, string>): void {
  checkQueueName(queueName);
  const refused = notEnqueueOptions.find((name) => headers[name] !== undefined);
  if (refused !== undefined) {
    throw new HttpError(400, `${canonicalHeaderName(refused)} is not an option of enqueue to queue "${queueName}" (the enqueue API documents none); publish without a queue to use it`);
  }
}

/**
 * The headers sent with a prefix (openapi.yaml publish parameters): `Upstash-Forward-*` go to
 * the destination with the Content-Type, `Upstash-Callback-Forward-*` to the callback and
 * `Upstash-Failure-Callback-Forward-*` to the failure callback, each without its prefix.
 */
function collectForwardedHeaders(headers: Record<string, string>, prefix: string, withContentType: boolean): HeaderMap {
  const forwarded: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    const target = withContentType && name === "content-type" ? name : name.startsWith(prefix) ? name.slice(prefix.length) : undefined;
    if (!target || unforwardable.has(target)) continue;
    forwarded[canonicalHeaderName(target)] = [value];
  }
  return forwarded;
}

function parseTimeout(value: string | undefined, defaultTimeoutMs: number): number {
  if (value === undefined) return defaultTimeoutMs;
  const timeoutMs = parseDuration(value, "Upstash-Timeout");
  if (timeoutMs === 0) throw new HttpError(400, "Upstash-Timeout must be more than 0");
  return timeoutMs;
}

function optionalUrl(value: string | undefined, what: string): string | undefined {
  return value === undefined ? undefined : parseHttpUrl(value, what);
}

export function buildDraft(input: DraftInput): MessageDraft {
  const { headers } = input;
  const { maxMessageBytes, defaultTimeoutMs } = input.limits;
  if (input.body.length > maxMessageBytes) {
    throw new HttpError(413, `message body is ${input.body.length} bytes; the limit is ${maxMessageBytes}`);
  }
  if (input.queueName !== undefined) checkEnqueueHeaders(input.queueName, headers);
  const retries = headers["upstash-retries"];
  const label = headers["upstash-label"];
  return {
    url: parseDestination(input.destination),
    method: parseMethod(headers["upstash-method"]),
    header: collectForwardedHeaders(headers, "upstash-forward-", true),
    callbackHeader: collectForwardedHeaders(headers, "upstash-callback-forward-", false),
    failureCallbackHeader: collectForwardedHeaders(headers, "upstash-failure-callback-forward-", false),
    body: input.body,
    notBefore: parseNotBefore(headers, input.now, input.limits.maxDelayMs),
    maxRetries: retries === undefined ? defaultRetries : parseNonNegativeInt(retries, "Upstash-Retries"),
    ...parseRetryDelay(headers["upstash-retry-delay"]),
    timeoutMs: parseTimeout(headers["upstash-timeout"], defaultTimeoutMs),
    callback: optionalUrl(headers["upstash-callback"], "Upstash-Callback"),
    failureCallback: optionalUrl(headers["upstash-failure-callback"], "Upstash-Failure-Callback"),
    deduplicationId: headers["upstash-deduplication-id"],
    contentBasedDeduplication: headers["upstash-content-based-deduplication"]?.trim().toLowerCase() === "true",
    flowControl: parseFlowControl(headers["upstash-flow-control-key"], headers["upstash-flow-control-value"]),
    labels:
      label === undefined
        ? undefined
        : label
            .split(",")
            .map((part) => part.trim())
            .filter(Boolean),
    queueName: input.queueName,
  };
}

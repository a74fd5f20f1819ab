// What the MQTT and AMQP senders share: one deadline per attempt, the broker URL with credentials
// taken out, the 1 KB payload sample that gets recorded, and timings.
import { TemplateError, TemplateRenderError } from "@/lib/templates";
import type { DeliveryOutcome, SendContext } from "@/lib/destinations/types";
import { contentFailure, failedBeforeSend } from "@/lib/destinations/types";
import { maskText, secretForms } from "@/lib/secrets/redact";
import { checkResult } from "@/lib/templates/result-checks";
import type { ConnectionPool } from "@/lib/destinations/broker/connection-pool";

const payloadSampleBytes = 1024;

/** The attempt's one timeout ran out; `stage` says where (connect, publish, …). */
export class DeadlineExceededError extends Error {
  override name = "DeadlineExceededError";
  constructor(
    readonly stage: string,
    readonly timeoutMs: number,
  ) {
    super(`${stage} timed out (overall timeout ${timeoutMs} ms)`);
  }
}

export interface Deadline {
  readonly timeoutMs: number;
  remainingMs(): number;
}

export function startDeadline(timeoutMs: number): Deadline {
  const endsAt = performance.now() + timeoutMs;
  return { timeoutMs, remainingMs: () => Math.max(0, endsAt - performance.now()) };
}

/** `work`, unless the deadline passes first; then `onTimeout` runs (e.g. force-closes the socket). */
export function beforeDeadline<T>(work: Promise<T>, deadline: Deadline, stage: string, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(new DeadlineExceededError(stage, deadline.timeoutMs));
    }, deadline.remainingMs());
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The recorded head of a payload: credentials masked first, so the cut cannot leave part of one. */
export function payloadSample(payload: string, forms: readonly string[] = []): string {
  const bytes = Buffer.from(maskText(payload, forms), "utf8");
  return bytes.subarray(0, payloadSampleBytes).toString("utf8");
}

export interface BrokerTimings {
  connectMs: number;
  publishMs: number;
  /** Absent when the close was handed to the caller (SendContext.deferClose). */
  closeMs?: number;
}

/** Milliseconds since `start` (a performance.now() value), to 0.1 ms: broker round trips are short. */
function msSince(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}

/** The stored broker URL cannot be used: the configuration is wrong, whatever the event. */
class InvalidBrokerUrlError extends Error {
  override name = "InvalidBrokerUrlError";
}

/** The broker URL (never a template: it is checked at save time) with one of `protocols`. */
export function resolveBrokerUrl(raw: string, protocols: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidBrokerUrlError("the broker URL is not a valid absolute URL");
  }
  if (!protocols.includes(url.protocol.slice(0, -1)) || url.hostname === "") {
    throw new InvalidBrokerUrlError(`the broker URL must start with ${protocols.map((protocol) => `${protocol}://`).join(" or ")} and name a host`);
  }
  return url;
}

/** scheme://host:port[/path] — never the userinfo, always the port, so the log says where it went. */
export function brokerAddress(url: URL, defaultPorts: Readonly<Record<string, number>>): string {
  const scheme = url.protocol.slice(0, -1);
  const port = url.port || String(defaultPorts[scheme] ?? "");
  const path = url.pathname === "/" || url.pathname === "" ? "" : url.pathname;
  return `${scheme}://${url.hostname}${port ? `:${port}` : ""}${path}`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A topic or routing key the transform chose passes the same checks as a rendered one. */
export function checkedTransformTarget(mode: "mqtt_topic" | "amqp_routing_key", value: string, what: string): string {
  try {
    checkResult(mode, value, []);
  } catch (error) {
    throw new Error(`the transform's ${what} is invalid: ${error instanceof Error ? error.message : "refused"}`);
  }
  return value;
}

/**
 * Renders a broker message; a template or configuration problem fails before anything is sent.
 * Rendering is pure, so anything but an unusable broker URL (a template, a value too deep to
 * serialise) comes from the event: a content error.
 */
function renderBrokerMessage<M>(render: () => M, configuredTarget: string): { message: M } | { failure: DeliveryOutcome } {
  try {
    return { message: render() };
  } catch (error) {
    if (error instanceof InvalidBrokerUrlError) return { failure: failedBeforeSend(configuredTarget, `Invalid configuration: ${error.message}`) };
    const template = error instanceof TemplateRenderError || error instanceof TemplateError;
    const reason = template ? `Template error: ${errorMessage(error)}` : `the message could not be built: ${errorMessage(error)}`;
    return { failure: contentFailure(configuredTarget, reason) };
  }
}

export interface PreparedBrokerSend<M> {
  message: M;
  /** The message as recorded: every secret masked. */
  recorded: M;
  /** The credential values in every form they may take in the record, for masking. */
  forms: readonly string[];
  /** performance.now() when the send began (after the render), for durationMs. */
  started: number;
}

/**
 * How every broker sender starts: the message rendered (a failure to render is the outcome), then
 * its recorded twin and the credential forms to mask in what is stored.
 */
export function prepareBrokerSend<C, M>(
  context: SendContext<C>,
  configuredTarget: string,
  render: (context: SendContext<C>) => M,
  record: (context: SendContext<C>, message: M) => M,
): PreparedBrokerSend<M> | { failure: DeliveryOutcome } {
  const rendered = renderBrokerMessage(() => render(context), configuredTarget);
  if ("failure" in rendered) return rendered;
  const started = performance.now();
  return { message: rendered.message, recorded: record(context, rendered.message), forms: secretForms(context.credentialValues ?? []), started };
}

/** The recorded twin of a rendered message; if masking made it unrenderable, `fallback`. */
export function renderRecordedMessage<M>(render: () => M, fallback: () => M): M {
  try {
    return render();
  } catch {
    return fallback();
  }
}

export type PublishStage = "connect" | "publish";

export interface PublishRun {
  timings: BrokerTimings;
  connection: "new" | "reused" | "replaced";
  failure?: { error: unknown; stage: PublishStage };
}

/** What each broker's error classifier makes of a failure. */
export interface BrokerFailure {
  result: "retryable" | "permanent";
  error: string;
  cause?: "content";
}

/** A publish run as the delivery log shows it: the broker's acknowledgement, or the stage that failed and why. */
export function brokerOutcome(
  run: PublishRun,
  shown: { target: string; request: Record<string, unknown>; ack: Record<string, unknown>; durationMs: number },
  classify: (failure: NonNullable<PublishRun["failure"]>) => BrokerFailure,
): DeliveryOutcome {
  const { target, request, durationMs } = shown;
  const common = { connection: run.connection, timings: run.timings };
  if (!run.failure) return { result: "succeeded", target, request, response: { ...shown.ack, ...common }, durationMs };
  return { ...classify(run.failure), target, request, response: { ack: null, failedAt: run.failure.stage, ...common }, durationMs };
}

interface PooledSteps<C> {
  open(): Promise<C>;
  publish(connection: C): Promise<unknown>;
  acquired?(connection: C): void;
  healthy?(connection: C): boolean;
}

/**
 * One publish on a pooled connection, each stage timed and the failed stage kept. A connection that
 * failed is dropped from the pool unless `healthy` says the failure left it usable (an AMQP
 * channel-level refusal does).
 */
async function publishPooledOnce<C>(pool: ConnectionPool<C>, key: string, run: PublishRun, steps: PooledSteps<C>): Promise<boolean> {
  let stage: PublishStage = "connect";
  let mark = performance.now();
  let connection: C | undefined;
  try {
    const acquired = await pool.acquire(key, steps.open);
    connection = acquired.connection;
    if (acquired.reused) run.connection = run.connection === "new" ? "reused" : run.connection;
    else run.timings.connectMs += msSince(mark);
    steps.acquired?.(connection);
    stage = "publish";
    mark = performance.now();
    await steps.publish(connection);
    run.timings.publishMs += msSince(mark);
    pool.release(key, connection);
    run.failure = undefined;
    return true;
  } catch (error) {
    run.failure = { error, stage };
    run.timings[stage === "connect" ? "connectMs" : "publishMs"] += msSince(mark);
    if (connection === undefined) return false;
    if (steps.healthy?.(connection)) pool.release(key, connection);
    else await pool.discard(key, connection);
    return false;
  }
}

/**
 * A publish on a pooled connection. Only a reused connection the broker dropped since its last
 * use is worth one more try, and only for a failure the broker did not decide (a refused message
 * would be refused again) and with time left: `retryable` says which failures those are.
 */
export async function publishPooledWithRetry<C, R extends PublishRun>(
  pool: ConnectionPool<C>,
  key: string,
  run: R,
  steps: PooledSteps<C>,
  retryable: (failure: NonNullable<PublishRun["failure"]>) => boolean,
): Promise<R> {
  const publish = () => publishPooledOnce(pool, key, run, steps);
  if (await publish()) return run;
  const failure = run.failure;
  if (run.connection !== "reused" || !failure || failure.error instanceof DeadlineExceededError) return run;
  if (!retryable(failure)) return run;
  run.connection = "replaced";
  await publish();
  return run;
}

/**
 * A short-lived publish: open, publish, close — each timed, the stage of any failure kept, and
 * the connection closed whatever happened: awaited here, or handed to `deferClose`.
 */
export async function publishOnce<C>(
  steps: { open(): Promise<C>; publish(connection: C): Promise<void>; close(connection: C): Promise<void> },
  deferClose?: (closing: Promise<void>) => void,
): Promise<PublishRun> {
  const run: PublishRun = { timings: { connectMs: 0, publishMs: 0 }, connection: "new" };
  let connection: C | undefined;
  let stage: PublishStage = "connect";
  let mark = performance.now();
  try {
    connection = await steps.open();
    run.timings.connectMs = msSince(mark);
    stage = "publish";
    mark = performance.now();
    await steps.publish(connection);
    run.timings.publishMs = msSince(mark);
  } catch (error) {
    run.failure = { error, stage };
    run.timings[stage === "connect" ? "connectMs" : "publishMs"] = msSince(mark);
  }
  if (connection !== undefined) {
    mark = performance.now();
    const closing = steps.close(connection).catch(() => undefined);
    if (deferClose) deferClose(closing);
    else {
      await closing;
      run.timings.closeMs = msSince(mark);
    }
  }
  return run;
}

// HTTP destination: renders the request, adds auth and the Standard Webhooks signature (SigV4
// last, over everything else), sends it under one deadline with the destination's TLS settings
// (redirects only when allowed, the SSRF guard on every hop), records what was sent (from a second
// rendering with secrets masked) and what came back, and classifies the outcome for retries: TLS
// refusals first. A request the event itself makes unsendable is a content error.
import type { HttpConfig } from "@/lib/destinations/http/config";
import type { DeliveryOutcome, OutcomeResult, Sender, SendContext } from "@/lib/destinations/types";
import { contentErrorPrefix, contentFailure, failedBeforeSend } from "@/lib/destinations/types";
import { addressPolicy, BlockedAddressError, type AddressPolicy } from "@/lib/destinations/address-guard";
import { applyAuth, credentialLocations, resolveAuth, type CredentialLocations, type ResolvedAuth } from "@/lib/destinations/http/auth";
import { classifyHttpStatus, httpFailureMessage, parseRetryAfter } from "@/lib/destinations/http/status";
import { RequestTimeoutError, type OutgoingRequest } from "@/lib/destinations/http/request";
import { exchangeFollowingRedirects, RedirectError, type Exchange } from "@/lib/destinations/http/redirects";
import { fieldRenderer, renderHttpRequest, TemplateFieldError } from "@/lib/destinations/http/render";
import { obtainAccessToken, OAuth2Error } from "@/lib/destinations/http/oauth2";
import { signingHeaders } from "@/lib/destinations/http/webhook-signing";
import { httpKind } from "@/lib/destinations/kinds";
import { describeRecorded, recordedBase, recordedHop, recordedTarget } from "@/lib/destinations/http/record";
import { maskTruncatedTail, redactValue, secretForms } from "@/lib/secrets/redact";
import { log } from "@/lib/log";
import { getEnv } from "@/lib/env";
import { awsRefusal, signAwsRequest } from "@/lib/destinations/http/aws-sigv4";
import { InsecureTlsRefusedError, recordedTls, tlsConnectOptions } from "@/lib/destinations/tls/options";
import { tlsFailure } from "@/lib/destinations/tls/errors";

const responseSampleBytes = 1024;

export interface PreparedHttpRequest {
  /** Rendered, with static auth applied (oauth2 adds its token per exchange). */
  request: OutgoingRequest;
  auth: ResolvedAuth;
  locations: CredentialLocations;
}

/** Renders every template and resolves the credentials; throws TemplateFieldError. */
export function prepareHttpRequest(context: SendContext<HttpConfig>): PreparedHttpRequest {
  const renderField = fieldRenderer(context.render);
  const { config } = context;
  const transformed = context.transformed?.kind === "http" ? context.transformed : undefined;
  const base = renderHttpRequest({ config, renderField, deliveryId: context.job.deliveryId, defaultPayload: context.defaultPayload, transformed });
  const auth = resolveAuth(config.auth, renderField);
  return { request: auth.type === "oauth2" ? base : applyAuth(base, auth), auth, locations: credentialLocations(config.auth) };
}

/** What gets recorded of a prepared request, and every form its credentials may take. */
interface Recording {
  base: OutgoingRequest;
  forms: string[];
}

interface Run {
  policy: AddressPolicy;
  deadline: number;
  timeoutMs: number;
  maxBodyBytes: number;
}

type Prepare = (request: OutgoingRequest, first: OutgoingRequest) => Promise<OutgoingRequest>;

/** Per hop: the Standard Webhooks signature, then SigV4 last (it signs every other header), only towards the configured origin. */
function hopPreparer(context: SendContext<HttpConfig>, auth: ResolvedAuth): Prepare | undefined {
  const secret = context.config.sign ? context.signingSecret : undefined;
  if (!secret && auth.type !== "aws_sigv4") return undefined;
  return async (request, first) => {
    const signed = secret
      ? {
          ...request,
          headers: {
            ...request.headers,
            ...signingHeaders({ secret, deliveryId: context.job.deliveryId, body: request.body, signatureHeader: context.config.signatureHeader }),
          },
        }
      : request;
    if (auth.type !== "aws_sigv4" || request.url.origin !== first.url.origin) return signed;
    return signAwsRequest(signed, auth.options);
  };
}

interface Delivered {
  exchange: Exchange;
  tokenRefreshed: boolean;
  /** OAuth2 access tokens used, masked in whatever is recorded. */
  accessTokens: string[];
}

async function deliver(prepared: PreparedHttpRequest, context: SendContext<HttpConfig>, run: Run): Promise<Delivered> {
  const { config } = context;
  const prepare = hopPreparer(context, prepared.auth);
  const tls = tlsConnectOptions(config.tls, getEnv().production);
  const send = (request: OutgoingRequest) =>
    exchangeFollowingRedirects(request, { ...run, tls, followRedirects: config.followRedirects, credentialHeaderNames: prepared.locations.headers, prepare });
  const { auth } = prepared;
  if (auth.type !== "oauth2") return { exchange: await send(prepared.request), tokenRefreshed: false, accessTokens: [] };
  const token = await obtainAccessToken(auth.params, run);
  const first = await send(applyAuth(prepared.request, auth, token.value));
  // A cached token may have been revoked early: fetch a new one and try once more.
  if (first.response.status !== 401 || !token.fromCache) return { exchange: first, tokenRefreshed: false, accessTokens: [token.value] };
  const fresh = await obtainAccessToken(auth.params, { ...run, forceRefresh: true });
  return { exchange: await send(applyAuth(prepared.request, auth, fresh.value)), tokenRefreshed: true, accessTokens: [token.value, fresh.value] };
}

/** A sampled body that filled the sample may end in the head of a secret. */
function recordedResponseBody(body: string, forms: readonly string[]): string {
  return Buffer.byteLength(body) >= responseSampleBytes ? maskTruncatedTail(body, forms) : body;
}

/** The recorded error of a non-2xx answer; AWS refusing a SigV4 signature says so. */
function failureMessage(prepared: PreparedHttpRequest, response: Exchange["response"], followRedirects: boolean): string {
  return (prepared.auth.type === "aws_sigv4" ? awsRefusal(response) : undefined) ?? httpFailureMessage(response.status, followRedirects);
}

function toOutcome(prepared: PreparedHttpRequest, recording: Recording, delivered: Delivered, config: HttpConfig, durationMs: number): DeliveryOutcome {
  const { request, response, redirects } = delivered.exchange;
  const result = classifyHttpStatus(response.status);
  const hop = recordedHop(recording.base, request, redirects.length > 0, prepared.locations);
  return {
    result,
    statusCode: response.status,
    target: recordedTarget(recording.base),
    request: {
      ...describeRecorded(hop, request, recording.forms),
      ...recordedTlsOf(config),
      ...(redirects.length > 0 ? { redirects } : {}),
      ...(delivered.tokenRefreshed ? { oauth2TokenRefreshed: true } : {}),
    },
    response: { status: response.status, headers: response.headers, body: recordedResponseBody(response.body, recording.forms), timings: response.timings },
    durationMs,
    ...(result === "succeeded" ? {} : { error: failureMessage(prepared, response, config.followRedirects) }),
    ...(result === "retryable" ? { retryAfterSeconds: parseRetryAfter(response.headers["retry-after"]) } : {}),
    ...(response.status === 410 ? { disableReason: "The endpoint answered 410 Gone" } : {}),
  };
}

export interface SendFailure {
  result: OutcomeResult;
  error: string;
  cause?: "content";
}

const contentError = (reason: string): SendFailure => ({ result: "permanent", cause: "content", error: `${contentErrorPrefix}${reason}` });

/** Expected failures as values: which are worth a retry, which the event caused, what to tell the operator. */
export function classifySendError(error: unknown): SendFailure {
  // Before anything generic: a TLS refusal also surfaces as a socket error.
  const tls = tlsFailure(error);
  if (tls) return tls;
  if (error instanceof InsecureTlsRefusedError) return { result: "permanent", error: `TLS: ${error.message}` };
  if (error instanceof TemplateFieldError) return contentError(error.message);
  if (error instanceof BlockedAddressError || error instanceof RedirectError) return { result: "permanent", error: error.message };
  if (error instanceof OAuth2Error) return { result: error.retryable ? "retryable" : "permanent", error: error.message };
  if (error instanceof RequestTimeoutError) return { result: "retryable", error: `Timeout: ${error.message}` };
  const message = error instanceof Error ? error.message : "request failed";
  // Node refuses an unsendable request synchronously (ERR_INVALID_CHAR…): sending again cannot help.
  if (error instanceof TypeError) return contentError(`the rendered request cannot be sent: ${message}`);
  return { result: "retryable", error: `Network error: ${message}` };
}

/** Rendering is pure: whatever it throws (a template, a value too deep to serialise) comes from the event. */
function renderFailure(error: unknown): string {
  if (error instanceof TemplateFieldError) return error.message;
  return `the request could not be built: ${error instanceof Error ? error.message : "render failed"}`;
}

export interface HttpSenderOptions {
  /** Tests may widen or narrow the SSRF policy; production uses `addressPolicy`. */
  policyFor?: (allowPrivate: boolean) => AddressPolicy;
}

/** Credentials in the form they went on the wire (e.g. Basic's base64), which value redaction downstream cannot know. */
function sentCredentials(prepared: PreparedHttpRequest, accessTokens: readonly string[]): string[] {
  const { auth } = prepared;
  if (auth.type === "header") return [auth.value, `${auth.scheme}${auth.value}`];
  if (auth.type === "query") return [auth.value];
  if (auth.type === "oauth2") return [auth.params.clientSecret, ...accessTokens];
  if (auth.type === "aws_sigv4") return [auth.options.secretAccessKey, ...(auth.options.sessionToken ? [auth.options.sessionToken] : [])];
  return [];
}

/** A receiver may echo what it got (httpbin-style): mask sent credentials in the response too. */
function maskSent(outcome: DeliveryOutcome, recording: Recording): DeliveryOutcome {
  return redactValue(outcome, recording.forms);
}

function recordingOf(context: SendContext<HttpConfig>, prepared: PreparedHttpRequest, accessTokens: readonly string[] = []): Recording {
  const forms = secretForms([...(context.credentialValues ?? []), ...sentCredentials(prepared, accessTokens)]);
  return { base: recordedBase(context, prepared.auth, prepared.locations, prepared.request), forms };
}

/** Every attempt of a destination with a tls object records its settings (never the key or passphrase). */
const recordedTlsOf = (config: HttpConfig) => (config.tls ? { tls: recordedTls(config.tls) } : {});

// Only fields that cannot hold a credential: no URL (a path may carry a {secret:…}), no headers.
function traceAttempt(context: SendContext<HttpConfig>, outcome: DeliveryOutcome): DeliveryOutcome {
  const { result, statusCode, durationMs, error } = outcome;
  log.debug("http attempt", { deliveryId: context.job.deliveryId, attempt: context.attempt, result, statusCode, durationMs, error });
  return outcome;
}

export function createHttpSender(options: HttpSenderOptions = {}): Sender<HttpConfig> {
  const send = sendWith(options.policyFor ?? addressPolicy);
  return async (context) => traceAttempt(context, await send(context));
}

function sendWith(policyFor: (allowPrivate: boolean) => AddressPolicy): Sender<HttpConfig> {
  return async (context) => {
    const { config } = context;
    if (config.sign && !context.signingSecret) {
      return failedBeforeSend(httpKind.describeTarget(config), "Signing is on but no signing secret is stored: PATCH the destination with rotateSigningSecret");
    }
    let prepared: PreparedHttpRequest;
    try {
      prepared = prepareHttpRequest(context);
    } catch (error) {
      return contentFailure(httpKind.describeTarget(config), renderFailure(error));
    }
    const started = performance.now();
    const run: Run = { policy: policyFor(context.allowPrivateDestinations), deadline: Date.now() + config.timeoutMs, timeoutMs: config.timeoutMs, maxBodyBytes: responseSampleBytes };
    try {
      const delivered = await deliver(prepared, context, run);
      const recording = recordingOf(context, prepared, delivered.accessTokens);
      return maskSent(toOutcome(prepared, recording, delivered, config, Math.round(performance.now() - started)), recording);
    } catch (error) {
      const failure = classifySendError(error);
      const durationMs = Math.round(performance.now() - started);
      const recording = recordingOf(context, prepared);
      const request = { ...describeRecorded(recording.base, prepared.request, recording.forms), ...recordedTlsOf(config) };
      return maskSent({ ...failure, target: recordedTarget(recording.base), request, response: null, durationMs }, recording);
    }
  };
}

export const sendHttp: Sender<HttpConfig> = createHttpSender();

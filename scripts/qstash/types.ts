// Shapes shared by the local QStash server's modules. Wire shapes follow @upstash/qstash 2.12's
// own `Message` / `DlqMessage` types so the SDK's getters return what they do against QStash.
import type { QstashPlanName } from "./plans";

/** A batch entry as the test-only `refuseEntry` hook sees it. */
export interface BatchEntryView {
  index: number;
  destination: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

export interface QstashServerOptions {
  /** Interface to bind; loopback only by default because the server has no TLS. */
  host?: string;
  /** 0 picks an ephemeral port. */
  port?: number;
  token?: string;
  currentSigningKey?: string;
  nextSigningKey?: string;
  /**
   * Replaces only QStash's default backoff: delay = backoffBaseMs * 2^retried. Undefined keeps the
   * real (hours-long) one. A message's Upstash-Retry-Delay and a receiver's Retry-After are exact.
   */
  backoffBaseMs?: number;
  /**
   * The plan whose limits apply: the attempt timeout when a message sets no Upstash-Timeout,
   * the account-wide parallelism and the message size. Default "free", the smallest.
   */
  plan?: QstashPlanName;
  /** Overrides the plan's account-wide parallelism (in-flight flow-controlled deliveries). */
  maxParallelism?: number;
  /**
   * Messages accepted per UTC day before publishing answers 429 as QStash does when the daily
   * quota is used up. Off unless set: a development server that stopped mid-day would help no one.
   */
  dailyMessageQuota?: number;
  /** Sent as Upstash-Region on every delivery. */
  region?: string;
  /**
   * TEST ONLY, not part of the QStash API: return an error text to refuse that batch entry
   * (it gets `{error}` in its slot while the others are sent, as QStash answers a refused entry).
   */
  refuseEntry?: (entry: BatchEntryView) => string | undefined;
  log?: (line: string) => void;
}

export interface QstashServer {
  url: string;
  port: number;
  /** Accept and store messages but deliver none until resumed (for trigger-path benchmarks). */
  pauseDeliveries(): void;
  resumeDeliveries(): void;
  close(): Promise<void>;
}

/** Header names in Go's canonical form (what QStash returns), values as lists. */
export type HeaderMap = Record<string, string[]>;

export type RetryDelayFn = (retried: number) => number;

export interface FlowControl {
  key: string;
  parallelism?: number;
  rate?: number;
  periodSeconds?: number;
}

/** Everything a publish request asks for, before it gets an id. */
export interface MessageDraft {
  url: string;
  method: string;
  header: HeaderMap;
  body: Buffer;
  notBefore: number;
  maxRetries: number;
  retryDelayExpression?: string;
  retryDelay?: RetryDelayFn;
  timeoutMs: number;
  callback?: string;
  /** Sent as `Upstash-Callback-Forward-*`: the callback message carries them. */
  callbackHeader?: HeaderMap;
  failureCallback?: string;
  /** Sent as `Upstash-Failure-Callback-Forward-*`: the failure callback message carries them. */
  failureCallbackHeader?: HeaderMap;
  deduplicationId?: string;
  contentBasedDeduplication: boolean;
  flowControl?: FlowControl;
  labels?: string[];
  queueName?: string;
}

export interface StoredMessage extends MessageDraft {
  messageId: string;
  createdAt: number;
  callerIp?: string;
  retried: number;
  /** Set for the messages this server creates to deliver a callback; they get no callbacks. */
  isCallback: boolean;
  /**
   * The queue whose slot this message holds: an enqueued message from its start until it is
   * delivered or failed, then its callback, if it has one, until that finishes.
   */
  queueSlot?: string;
}

export interface AttemptResult {
  /** 0 when no response arrived (network error, timeout). */
  status: number;
  header: HeaderMap;
  body: Buffer;
  error?: string;
  retryAfterMs?: number;
  nonRetryable: boolean;
}

export interface DlqEntry {
  dlqId: string;
  message: StoredMessage;
  result: AttemptResult;
  failedAt: number;
}

// Delivers stored messages at their time, retries failures with QStash's policy, moves final
// failures to the DLQ and queues callbacks. Enqueued messages start in queue order; due messages
// pass flow control. Owns every timer and in-flight request so close() can stop all of them.
import { attemptDelivery, DeliveryAborted } from "./delivery";
import { FlowLimiter } from "./flow-control";
import { QueueRegistry, type QueueLimits } from "./queues";
import { newMessageId, type MessageStore } from "./store";
import type { AttemptResult, HeaderMap, StoredMessage } from "./types";
import { toCallbackBody } from "./views";

// setTimeout overflows above 2^31-1 ms (~24.8 days) and would fire at once.
const maxTimerMs = 2_147_483_647;
const maxBackoffMs = 86_400_000;

export interface SchedulerOptions {
  signingKey: string;
  backoffBaseMs?: number;
  /** Account-wide cap on flow-controlled deliveries in flight. */
  maxParallelism: number;
  queueLimits: QueueLimits;
  region: string;
  log: (line: string) => void;
}

export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  readonly flow: FlowLimiter;
  readonly queues: QueueRegistry;
  private readonly stop = new AbortController();
  /** Messages due while deliveries are paused, in the order they came due. */
  private held: StoredMessage[] | undefined;

  constructor(
    private readonly store: MessageStore,
    private readonly options: SchedulerOptions,
  ) {
    this.flow = new FlowLimiter(options.maxParallelism, () => this.runWaiting());
    this.queues = new QueueRegistry(options.queueLimits);
  }

  /** Throws an HttpError, storing nothing, when the message's queue cannot be created. */
  enqueue(message: StoredMessage): void {
    if (message.queueName !== undefined && !message.isCallback) {
      this.queues.add(message, message.queueName, Date.now());
      this.store.messages.set(message.messageId, message);
      this.startQueued(message.queueName);
      return;
    }
    this.store.messages.set(message.messageId, message);
    if (message.flowControl) {
      // The newest message sets its key's limits; a raised limit may free waiting messages.
      this.flow.configure(message.flowControl);
      this.runWaiting();
    }
    this.schedule(message);
  }

  /** After a pin, unpin, resume, reset or a rate period's end: what the key allows now goes out. */
  runWaiting(): void {
    for (const next of this.flow.admitWaiting(Date.now())) void this.run(next);
  }

  /** Starts the queue's next messages, as many as its parallelism and pause allow. */
  startQueued(queueName: string): void {
    for (const next of this.queues.startable(queueName)) this.schedule(next);
  }

  resumeQueue(queueName: string): void {
    this.queues.setPaused(queueName, false, Date.now());
    this.wakeQueue(queueName);
  }

  /** A running queue sends its parked retries first, then the earliest messages not yet started. */
  wakeQueue(queueName: string): void {
    for (const parked of this.queues.takeParked(queueName)) this.admit(parked);
    this.startQueued(queueName);
  }

  deleteQueue(queueName: string): void {
    for (const message of this.queues.delete(queueName)) this.cancel(message.messageId);
  }

  /** False when the message is unknown or already finished. */
  cancel(messageId: string): boolean {
    const message = this.store.messages.get(messageId);
    if (!message) return false;
    clearTimeout(this.timers.get(messageId));
    this.timers.delete(messageId);
    this.flow.forget(message);
    // An attempt already in flight completes, but its outcome is dropped (see settle).
    this.finish(message);
    this.options.log(`cancelled ${messageId}`);
    return true;
  }

  /** DLQ retry: QStash republishes the message under a new id with a fresh retry budget. */
  republish(message: StoredMessage): StoredMessage {
    const now = Date.now();
    const copy: StoredMessage = { ...message, messageId: newMessageId(), createdAt: now, notBefore: now, retried: 0, queueSlot: undefined };
    this.enqueue(copy);
    return copy;
  }

  /**
   * Benchmarks of the trigger path pause deliveries so the stand-in's own delivery work does not
   * compete for the CPU with what is measured (real QStash runs elsewhere). Publishing still works.
   */
  pause(): void {
    this.held ??= [];
  }

  resume(): void {
    const due = this.held ?? [];
    this.held = undefined;
    for (const message of due) this.admit(message);
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.flow.clear();
    this.queues.clear();
    this.stop.abort();
  }

  private schedule(message: StoredMessage): void {
    if (this.stop.signal.aborted) return;
    const waitMs = Math.max(0, message.notBefore - Date.now());
    const timer = setTimeout(
      () => {
        this.timers.delete(message.messageId);
        if (waitMs > maxTimerMs) this.schedule(message);
        else this.admit(message);
      },
      Math.min(waitMs, maxTimerMs),
    );
    timer.unref();
    this.timers.set(message.messageId, timer);
  }

  /** A due attempt: it waits while its queue is paused, then passes its flow-control key. */
  private admit(message: StoredMessage): void {
    if (this.stop.signal.aborted || !this.isPending(message)) return;
    if (this.held) {
      this.held.push(message);
      return;
    }
    if (!this.queues.mayAttempt(message)) return;
    for (const next of this.flow.enter(message, Date.now())) void this.run(next);
  }

  /**
   * The message leaves the store. Its queue slot passes to the callback it is waiting for
   * (features/queues.mdx: the next message waits for callbacks), or frees the queue's next one.
   */
  private finish(message: StoredMessage, callback?: StoredMessage): void {
    this.store.messages.delete(message.messageId);
    this.queues.finished(message);
    const slot = message.queueSlot;
    if (slot === undefined) return;
    if (callback) {
      callback.queueSlot = slot;
      return;
    }
    this.queues.release(slot);
    this.startQueued(slot);
  }

  private isPending(message: StoredMessage): boolean {
    return this.store.messages.get(message.messageId) === message;
  }

  /** The message's flow-control slot, if it has one, is already taken. */
  private async run(message: StoredMessage): Promise<void> {
    let result: AttemptResult;
    try {
      result = await attemptDelivery(message, { signingKey: this.options.signingKey, region: this.options.region }, this.stop.signal);
    } catch (error) {
      if (error instanceof DeliveryAborted) return;
      result = { status: 0, header: {}, body: Buffer.alloc(0), error: String(error), nonRetryable: false };
    } finally {
      if (!this.stop.signal.aborted) {
        this.flow.release(message);
        this.runWaiting();
      }
    }
    this.settle(message, result);
  }

  private settle(message: StoredMessage, result: AttemptResult): void {
    if (this.stop.signal.aborted || !this.isPending(message)) return;
    const outcome = result.error ?? `status ${result.status}`;
    const { messageId, method, url, retried, maxRetries } = message;
    const attempt = `${messageId} → ${method} ${url} (retried ${retried}/${maxRetries})`;
    if (result.status >= 200 && result.status < 300) {
      this.options.log(`delivered ${attempt}: ${outcome}`);
      const callback = message.callback && !message.isCallback ? this.queueCallback(message, result, message.callback, message.callbackHeader) : undefined;
      this.finish(message, callback);
      return;
    }
    if (result.nonRetryable || message.retried >= message.maxRetries) {
      this.fail(message, result, `failed ${attempt}: ${outcome}`);
      return;
    }
    const delayMs = this.nextDelayMs(message, result);
    this.options.log(`retrying ${attempt} in ${delayMs} ms: ${outcome}`);
    message.retried += 1;
    message.notBefore = Date.now() + delayMs;
    this.schedule(message);
  }

  private fail(message: StoredMessage, result: AttemptResult, line: string): void {
    const entry = this.store.addToDlq(message, result, Date.now());
    this.options.log(`${line}; moved to DLQ as ${entry.dlqId}`);
    const { failureCallback } = message;
    const callback = failureCallback && !message.isCallback ? this.queueCallback(message, result, failureCallback, message.failureCallbackHeader, entry.dlqId) : undefined;
    this.finish(message, callback);
  }

  /**
   * Retry-After (up to a day, see retry-after.ts) replaces "the backoff algorithm" (retry.mdx),
   * which is the message's Upstash-Retry-Delay when it has one, else QStash's default. The
   * test speed-up (backoffBaseMs) only ever shortens the default.
   */
  private nextDelayMs(message: StoredMessage, result: AttemptResult): number {
    if (result.retryAfterMs !== undefined) return result.retryAfterMs;
    if (message.retryDelay) return message.retryDelay(message.retried);
    const { backoffBaseMs } = this.options;
    if (backoffBaseMs !== undefined) return Math.min(backoffBaseMs * 2 ** message.retried, maxBackoffMs);
    // QStash's documented min(86400, e^(2.5·n)) seconds, n = the retry about to happen.
    return Math.round(Math.min(86_400, Math.exp(2.5 * (message.retried + 1))) * 1_000);
  }

  /** Like QStash, a callback is a new signed message with the source message's retry policy. */
  private queueCallback(source: StoredMessage, result: AttemptResult, url: string, forwarded: HeaderMap | undefined, dlqId?: string): StoredMessage {
    const now = Date.now();
    const callback: StoredMessage = {
      messageId: newMessageId(),
      url,
      method: "POST",
      header: { ...forwarded, "Content-Type": ["application/json"] },
      body: Buffer.from(JSON.stringify(toCallbackBody(source, result, dlqId))),
      notBefore: now,
      createdAt: now,
      maxRetries: source.maxRetries,
      retryDelay: source.retryDelay,
      retryDelayExpression: source.retryDelayExpression,
      timeoutMs: source.timeoutMs,
      callerIp: source.callerIp,
      contentBasedDeduplication: false,
      retried: 0,
      isCallback: true,
    };
    this.enqueue(callback);
    return callback;
  }
}

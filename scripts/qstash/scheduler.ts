// Delivers stored messages at their time, retries failures with QStash's policy, moves final
// failures to the DLQ and queues callbacks. Owns every timer and in-flight request so close()
// can stop all of them.
import { attemptDelivery, DeliveryAborted } from "./delivery";
import { FlowLimiter } from "./flow-control";
import { newMessageId, type MessageStore } from "./store";
import type { AttemptResult, StoredMessage } from "./types";
import { toCallbackBody } from "./views";

// setTimeout overflows above 2^31-1 ms (~24.8 days) and would fire at once.
const maxTimerMs = 2_147_483_647;
const maxBackoffMs = 86_400_000;

export interface SchedulerOptions {
  signingKey: string;
  backoffBaseMs?: number;
  /** Account-wide cap on flow-controlled deliveries in flight. */
  maxParallelism: number;
  region: string;
  log: (line: string) => void;
}

export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  readonly flow: FlowLimiter;
  private readonly stop = new AbortController();
  /** Messages due while deliveries are paused, in the order they came due. */
  private held: StoredMessage[] | undefined;

  constructor(
    private readonly store: MessageStore,
    private readonly options: SchedulerOptions,
  ) {
    this.flow = new FlowLimiter(options.maxParallelism);
  }

  enqueue(message: StoredMessage): void {
    this.store.messages.set(message.messageId, message);
    if (message.flowControl) {
      // The newest message sets its key's limits; a raised limit may free waiting messages.
      this.flow.configure(message.flowControl);
      this.runWaiting();
    }
    this.schedule(message);
  }

  /** After a pin or unpin: messages the new limits allow go out. */
  runWaiting(): void {
    for (const next of this.flow.admitWaiting((message) => this.isPending(message))) void this.run(next);
  }

  /** False when the message is unknown or already finished. */
  cancel(messageId: string): boolean {
    const message = this.store.messages.get(messageId);
    if (!message) return false;
    this.store.messages.delete(messageId);
    clearTimeout(this.timers.get(messageId));
    this.timers.delete(messageId);
    // An attempt already in flight completes, but its outcome is dropped (see settle).
    this.options.log(`cancelled ${messageId}`);
    return true;
  }

  /** DLQ retry: QStash republishes the message under a new id with a fresh retry budget. */
  republish(message: StoredMessage): StoredMessage {
    const now = Date.now();
    const copy: StoredMessage = { ...message, messageId: newMessageId(), createdAt: now, notBefore: now, retried: 0 };
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

  /** Honours flow control: over its key's or the account's parallelism, a message waits for a slot. */
  private admit(message: StoredMessage): void {
    if (this.stop.signal.aborted || !this.isPending(message)) return;
    if (this.held) {
      this.held.push(message);
      return;
    }
    if (this.flow.tryAcquire(message)) void this.run(message);
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
      this.store.messages.delete(message.messageId);
      this.options.log(`delivered ${attempt}: ${outcome}`);
      if (message.callback && !message.isCallback) this.queueCallback(message, result, message.callback);
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
    this.store.messages.delete(message.messageId);
    const entry = this.store.addToDlq(message, result, Date.now());
    this.options.log(`${line}; moved to DLQ as ${entry.dlqId}`);
    if (message.failureCallback && !message.isCallback) {
      this.queueCallback(message, result, message.failureCallback, entry.dlqId);
    }
  }

  /** Retry-After wins, then Upstash-Retry-Delay, then the test backoff, then QStash's own. */
  private nextDelayMs(message: StoredMessage, result: AttemptResult): number {
    if (result.retryAfterMs !== undefined) return Math.min(result.retryAfterMs, maxBackoffMs);
    if (message.retryDelay) return message.retryDelay(message.retried);
    const { backoffBaseMs } = this.options;
    if (backoffBaseMs !== undefined) return Math.min(backoffBaseMs * 2 ** message.retried, maxBackoffMs);
    // QStash's documented min(86400, e^(2.5·n)) seconds, n = the retry about to happen.
    return Math.round(Math.min(86_400, Math.exp(2.5 * (message.retried + 1))) * 1_000);
  }

  /** Like QStash, a callback is a new signed message with the source message's retry policy. */
  private queueCallback(source: StoredMessage, result: AttemptResult, url: string, dlqId?: string): void {
    const now = Date.now();
    this.enqueue({
      messageId: newMessageId(),
      url,
      method: "POST",
      header: { "Content-Type": ["application/json"] },
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
    });
  }
}

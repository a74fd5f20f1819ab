// Queues as QStash documents them (features/queues.mdx; openapi.yaml /v2/queues*): FIFO, at most
// `parallelism` messages (default 1) in progress at a time. A message is in progress from its
// first attempt until it is delivered or failed, retries included, and its slot stays taken until
// its callback or failure callback has finished too. A paused queue accepts messages and starts
// none; a retry of a started one that comes due while paused waits, and resume sends it first.
import { HttpError } from "./http-utils";
import { checkQueueName } from "./queue-names";
import type { StoredMessage } from "./types";

export interface QueueLimits {
  /** The plan's "Max Queue Count" and "Max Queue Parallelism" (upstash.com/pricing/qstash). */
  maxQueues: number;
  maxParallelism: number;
}

interface QueueState {
  name: string;
  createdAt: number;
  updatedAt: number;
  parallelism: number;
  paused: boolean;
  /** Not started yet, oldest first. */
  waiting: StoredMessage[];
  /** Started and not yet delivered or failed. */
  started: Set<StoredMessage>;
  /** Started messages whose retry came due while the queue was paused. */
  parked: StoredMessage[];
  /** Slots held by started messages or by the callbacks they are waiting for. */
  slots: number;
}

/** SDK 2.12's QueueResponse; `lag` = messages not yet delivered (waiting or in progress). */
function toQueueView(queue: QueueState): Record<string, unknown> {
  const { createdAt, updatedAt, name, parallelism, paused } = queue;
  return { createdAt, updatedAt, name, parallelism, lag: queue.waiting.length + queue.started.size, paused };
}

export class QueueRegistry {
  private readonly queues = new Map<string, QueueState>();

  constructor(private readonly limits: QueueLimits) {}

  upsert(name: string, parallelism: number, paused: boolean | undefined, now: number): void {
    checkQueueName(name);
    if (parallelism > this.limits.maxParallelism) {
      throw new HttpError(412, `queue parallelism ${parallelism} is above the plan's maximum of ${this.limits.maxParallelism}`);
    }
    const queue = this.queueOf(name, now);
    queue.parallelism = parallelism;
    if (paused !== undefined) queue.paused = paused;
    queue.updatedAt = now;
  }

  view(name: string): Record<string, unknown> {
    return toQueueView(this.existing(name));
  }

  list(): Array<Record<string, unknown>> {
    return [...this.queues.values()].map(toQueueView);
  }

  /** Removes the queue; its messages not yet delivered are returned for cancelling. */
  delete(name: string): StoredMessage[] {
    const queue = this.existing(name);
    this.queues.delete(name);
    return [...queue.waiting, ...queue.started];
  }

  /** Pausing an already paused queue, or resuming a running one, has no effect (openapi.yaml). */
  setPaused(name: string, paused: boolean, now: number): void {
    const queue = this.existing(name);
    if (queue.paused !== paused) queue.updatedAt = now;
    queue.paused = paused;
  }

  /** Enqueue: a queue that does not exist is created with parallelism 1 (openapi.yaml). */
  add(message: StoredMessage, name: string, now: number): void {
    this.queueOf(name, now).waiting.push(message);
  }

  /** The messages that may start now, oldest first; each takes a slot. */
  startable(name: string): StoredMessage[] {
    const queue = this.queues.get(name);
    if (!queue || queue.paused) return [];
    const starting: StoredMessage[] = [];
    for (let next = queue.waiting[0]; next !== undefined && queue.slots < queue.parallelism; next = queue.waiting[0]) {
      queue.waiting.shift();
      queue.slots += 1;
      queue.started.add(next);
      next.queueSlot = name;
      starting.push(next);
    }
    return starting;
  }

  /** False when the message's queue is paused: it waits for resume, which hands it back first. */
  mayAttempt(message: StoredMessage): boolean {
    const queue = message.queueName === undefined ? undefined : this.queues.get(message.queueName);
    if (!queue?.paused || !queue.started.has(message)) return true;
    queue.parked.push(message);
    return false;
  }

  /** The parked retries of a running queue, oldest first; the caller then starts waiting messages. */
  takeParked(name: string): StoredMessage[] {
    const queue = this.queues.get(name);
    return queue && !queue.paused ? queue.parked.splice(0) : [];
  }

  /** The message is delivered, failed or cancelled: it no longer counts in the lag. */
  finished(message: StoredMessage): void {
    const queue = message.queueName === undefined ? undefined : this.queues.get(message.queueName);
    if (!queue) return;
    queue.waiting = queue.waiting.filter((waiting) => waiting !== message);
    queue.parked = queue.parked.filter((parked) => parked !== message);
    queue.started.delete(message);
  }

  release(name: string): void {
    const queue = this.queues.get(name);
    if (queue) queue.slots = Math.max(0, queue.slots - 1);
  }

  clear(): void {
    this.queues.clear();
  }

  private existing(name: string): QueueState {
    checkQueueName(name);
    const queue = this.queues.get(name);
    if (!queue) throw new HttpError(404, `queue "${name}" not found`);
    return queue;
  }

  /** Past the plan's count, creating one is a 412 from an enqueue too: openapi.yaml names it for upsert only. */
  private queueOf(name: string, now: number): QueueState {
    let queue = this.queues.get(name);
    if (!queue) {
      if (this.queues.size >= this.limits.maxQueues) throw new HttpError(412, `the plan allows at most ${this.limits.maxQueues} queues`);
      queue = { name, createdAt: now, updatedAt: now, parallelism: 1, paused: false, waiting: [], started: new Set(), parked: [], slots: 0 };
      this.queues.set(name, queue);
    }
    return queue;
  }
}

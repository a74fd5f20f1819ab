// QStash plan limits the local server enforces, from Upstash's pricing page (upstash.com/pricing/qstash):
// attempt timeout when a message sets no Upstash-Timeout ("Max HTTP Response Duration"),
// account-wide parallelism, message size, the longest delay (also features/delay.mdx), messages per
// day, and the number and parallelism of queues.

export type QstashPlanName = "free" | "payg" | "fixed-1m" | "fixed-10m";

export interface QstashPlan {
  maxResponseDurationMs: number;
  maxParallelism: number;
  maxMessageBytes: number;
  /** How far ahead Upstash-Delay or Upstash-Not-Before may put a message; undefined: no cap (fixed plans). */
  maxDelayMs: number | undefined;
  /** Undefined: no daily cap (pay as you go). */
  messagesPerDay: number | undefined;
  maxQueues: number;
  maxQueueParallelism: number;
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const megabyte = 1024 * 1024;

export const qstashPlans: Record<QstashPlanName, QstashPlan> = {
  free: { maxResponseDurationMs: 15 * minute, maxParallelism: 10, maxMessageBytes: megabyte, maxDelayMs: 7 * day, messagesPerDay: 1_000, maxQueues: 10, maxQueueParallelism: 2 },
  payg: { maxResponseDurationMs: 2 * hour, maxParallelism: 100, maxMessageBytes: 10 * megabyte, maxDelayMs: 365 * day, messagesPerDay: undefined, maxQueues: 100, maxQueueParallelism: 10 },
  "fixed-1m": {
    maxResponseDurationMs: 6 * hour,
    maxParallelism: 200,
    maxMessageBytes: 50 * megabyte,
    maxDelayMs: undefined,
    messagesPerDay: 1_000_000,
    maxQueues: 1_000,
    maxQueueParallelism: 10,
  },
  "fixed-10m": {
    maxResponseDurationMs: 12 * hour,
    maxParallelism: 1_000,
    maxMessageBytes: 50 * megabyte,
    maxDelayMs: undefined,
    messagesPerDay: 10_000_000,
    maxQueues: 1_000,
    maxQueueParallelism: 10,
  },
};

export function isPlanName(value: string): value is QstashPlanName {
  return Object.hasOwn(qstashPlans, value);
}

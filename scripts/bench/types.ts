// One line of a benchmark table: a measured path next to the raw-library baseline it wraps.
export interface BenchRow {
  /** What was measured, e.g. "sendMqtt short-lived QoS 1". */
  name: string;
  /** Where it went, e.g. "mosquitto TCP 127.0.0.1:1883". */
  transport: string;
  /** Milliseconds. */
  median: number;
  p95: number;
  /** Median of the same work done with the client library alone; null when there is none. */
  baselineMedian: number | null;
  /** median / baselineMedian; null without a baseline. */
  ratio: number | null;
  /** Median milliseconds per Server-Timing phase of the measured path, where it reports them. */
  phases?: Record<string, number>;
  /** Median of a bare `SELECT 1` through the app's database driver, alternated with the measured path. */
  selectOneMedian?: number;
}

// Ordered list of migrations. Listed statically (not read from disk) so the same set runs under
// tsx, vitest and a bundled serverless function.
import type { Migration } from "kysely";
import * as initial from "./0001_initial";
import * as lifecycle from "./0002_lifecycle";
import * as deliveryConcurrency from "./0003_delivery_concurrency";
import * as operatorSessions from "./0004_operator_sessions";
import * as timeoutCap from "./0005_timeout_cap";
import * as filtersTransforms from "./0006_filters_transforms";
import * as holdOrderPace from "./0007_hold_order_pace";
import * as handshakes from "./0008_handshakes";
import * as orderingPartitions from "./0009_ordering_partitions";

export const migrations: Record<string, Migration> = {
  "0001_initial": initial,
  "0002_lifecycle": lifecycle,
  "0003_delivery_concurrency": deliveryConcurrency,
  "0004_operator_sessions": operatorSessions,
  "0005_timeout_cap": timeoutCap,
  "0006_filters_transforms": filtersTransforms,
  "0007_hold_order_pace": holdOrderPace,
  "0008_handshakes": handshakes,
  "0009_ordering_partitions": orderingPartitions,
};

// GET /v2/flowControl[/{key}], POST /v2/flowControl/{key}/pause|resume|pin|unpin|resetRate and
// GET /v2/globalParallelism, as openapi.yaml lists them and @upstash/qstash 2.12's FlowControlApi
// calls them. The key is the raw path segment, as the SDK appends it.
import { HttpError, decodePathSegment, type Reply } from "./http-utils";
import { parsePeriodSeconds } from "./options";
import type { Scheduler } from "./scheduler";

function optionalPositiveInt(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (!/^\d+$/.test(value) || Number(value) === 0) throw new HttpError(400, `${name} must be a positive integer, got "${value}"`);
  return Number(value);
}

/** openapi.yaml: pin's `period` is an integer number of seconds. */
function pinRequest(query: URLSearchParams) {
  const period = query.get("period");
  if (period !== null && !/^\d+$/.test(period)) throw new HttpError(400, `period must be a whole number of seconds, got "${period}"`);
  return {
    parallelism: optionalPositiveInt(query, "parallelism"),
    rate: optionalPositiveInt(query, "rate"),
    periodSeconds: period === null ? undefined : parsePeriodSeconds(period),
  };
}

function act(scheduler: Scheduler, action: string, key: string, query: URLSearchParams): void {
  const { flow } = scheduler;
  if (action === "pause") flow.setPaused(key, true);
  else if (action === "resume") flow.setPaused(key, false);
  else if (action === "pin") flow.pin(key, pinRequest(query));
  else if (action === "unpin") flow.unpin(key, { parallelism: query.get("parallelism") === "true", rate: query.get("rate") === "true" });
  // Only 400 and 500 are documented: resetting a key never seen has nothing to reset.
  else if (action === "resetRate") flow.resetRate(key, Date.now());
  else throw new HttpError(404, `no route for POST /v2/flowControl/${key}/${action}`);
  scheduler.runWaiting();
}

export function routeFlowControl(scheduler: Scheduler, method: string, pathname: string, query: URLSearchParams): Reply | undefined {
  if (method === "GET" && pathname === "/v2/globalParallelism") return { status: 200, body: scheduler.flow.global() };
  if (method === "GET" && (pathname === "/v2/flowControl" || pathname === "/v2/flowControl/")) {
    return { status: 200, body: scheduler.flow.list(Date.now(), query.get("search") ?? undefined) };
  }
  const match = /^\/v2\/flowControl\/([^/]+)(?:\/([^/]+))?$/.exec(pathname);
  if (!match) return undefined;
  const key = decodePathSegment(match[1], "flow-control key");
  const action = match[2];
  if (method === "GET" && action === undefined) {
    const info = scheduler.flow.info(key, Date.now());
    if (!info) throw new HttpError(404, `flow control key "${key}" not found`);
    return { status: 200, body: info };
  }
  if (method !== "POST" || action === undefined) throw new HttpError(404, `no route for ${method} ${pathname}`);
  act(scheduler, action, key, query);
  return { status: 200 };
}

// GET /v2/flowControl/{key}, POST /v2/flowControl/{key}/pin|unpin and GET /v2/globalParallelism,
// as @upstash/qstash 2.12's FlowControlApi calls them.
import { HttpError, type Reply } from "./http-utils";
import { parseDuration } from "./options";
import type { Scheduler } from "./scheduler";

function optionalPositiveInt(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (!/^\d+$/.test(value) || Number(value) === 0) throw new HttpError(400, `${name} must be a positive integer, got "${value}"`);
  return Number(value);
}

function pinRequest(query: URLSearchParams) {
  const period = query.get("period");
  return {
    parallelism: optionalPositiveInt(query, "parallelism"),
    rate: optionalPositiveInt(query, "rate"),
    periodSeconds: period === null ? undefined : parseDuration(period, "period") / 1_000,
  };
}

export function routeFlowControl(scheduler: Scheduler, method: string, pathname: string, query: URLSearchParams): Reply | undefined {
  if (method === "GET" && pathname === "/v2/globalParallelism") return { status: 200, body: scheduler.flow.global() };
  const match = /^\/v2\/flowControl\/([^/]+)(?:\/(pin|unpin))?$/.exec(pathname);
  if (!match) return undefined;
  const key = decodeURIComponent(match[1]);
  const action = match[2];
  if (method === "GET" && action === undefined) {
    const info = scheduler.flow.info(key);
    if (!info) throw new HttpError(404, `flow control key "${key}" not found`);
    return { status: 200, body: info };
  }
  if (method === "POST" && action === "pin") scheduler.flow.pin(key, pinRequest(query));
  else if (method === "POST" && action === "unpin") {
    scheduler.flow.unpin(key, { parallelism: query.get("parallelism") === "true", rate: query.get("rate") === "true" });
  } else throw new HttpError(404, `no route for ${method} ${pathname}`);
  scheduler.runWaiting();
  return { status: 200 };
}

// ANY /api/hooks/:path* — accepts a webhook at a callback's custom path
import { triggerHandler } from "@/lib/triggers/trigger-route";

const handler = triggerHandler<{ path: string[] }>((params) => ({ kind: "path", path: params.path.join("/") }));

export const GET = handler;
export const POST = handler;
export const PUT = handler;
export const PATCH = handler;
export const DELETE = handler;
export const HEAD = handler;
export const OPTIONS = handler;

// ANY /api/trigger/:token — accepts a webhook and queues one delivery per destination
import { triggerHandler } from "@/lib/triggers/trigger-route";

const handler = triggerHandler<{ token: string }>((params) => ({ kind: "token", token: params.token }));

export const GET = handler;
export const POST = handler;
export const PUT = handler;
export const PATCH = handler;
export const DELETE = handler;
export const HEAD = handler;
export const OPTIONS = handler;

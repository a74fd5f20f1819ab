// Adapts lib handlers to Next route handlers: awaits params, maps every thrown value to a
// JSON error response in one place.
import { errorResponse } from "@/lib/http/error-reply";

export interface RouteContext<P> {
  params: Promise<P>;
}

export interface HandlerInput<P> {
  request: Request;
  params: P;
}

export type Handler<P> = (input: HandlerInput<P>) => Promise<Response>;

export function route<P = Record<string, never>>(handler: Handler<P>) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const params = (await context?.params) ?? ({} as P);
      return await handler({ request, params });
    } catch (error) {
      return errorResponse(error, { head: request.method === "HEAD" });
    }
  };
}

// Wraps operator API handlers: authentication, role check, CSRF check for cookie sessions.
import { AppError } from "@/lib/errors";
import { getEnv } from "@/lib/env";
import { route, type HandlerInput } from "@/lib/http/route";
import { authenticateOperator, canWrite, type Operator } from "@/lib/auth/operator";

export interface OperatorInput<P> extends HandlerInput<P> {
  operator: Operator;
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** Cookie-authenticated writes must come from our own origin (bearer calls cannot be forged cross-site). */
function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  const allowed = new Set([new URL(getEnv().appUrl).origin, new URL(request.url).origin]);
  if (!origin || !allowed.has(origin)) {
    throw new AppError("forbidden", "Cross-site request refused: the Origin header must match this site");
  }
}

/** Sign-in and sign-out carry no operator yet: refuse only a foreign Origin (login CSRF). */
export function assertNotCrossSite(request: Request): void {
  if (request.headers.get("origin") !== null) assertSameOrigin(request);
}

export function withOperator<P = Record<string, never>>(
  handler: (input: OperatorInput<P>) => Promise<Response>,
  /** write: admins only (default: any method but GET, HEAD, OPTIONS). */
  options: { write?: boolean; adminOnly?: boolean } = {},
) {
  return route<P>(async (input) => {
    const operator = await authenticateOperator(input.request);
    if (!operator) {
      throw new AppError("unauthorized", "Authentication required: send Authorization: Bearer <ADMIN_TOKEN> or sign in", {
        headers: { "www-authenticate": 'Bearer realm="switchyard"' },
      });
    }
    const unsafe = !safeMethods.has(input.request.method);
    const writing = options.write ?? unsafe;
    if (options.adminOnly && !canWrite(operator)) {
      throw new AppError("forbidden", "Only admins may manage operators");
    }
    if (writing && !canWrite(operator)) {
      throw new AppError("forbidden", "Your role (viewer) may read but not change configuration");
    }
    // Any cookie-authenticated POST, even one a viewer may make (preview, own password), could be forged cross-site.
    if (unsafe && operator.via === "session") assertSameOrigin(input.request);
    return handler({ ...input, operator });
  });
}

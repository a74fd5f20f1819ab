// Turns any thrown value into the JSON error answer (`{error:{code,message}}`) of lib/errors.ts.
import { errorBody, toAppError } from "@/lib/errors";
import { jsonReply, toWebResponse, type Reply } from "@/lib/http/reply";

/** The single place a thrown value becomes an answer (HEAD answers carry no body). */
export function errorReply(error: unknown, options: { head?: boolean } = {}): Reply {
  const appError = toAppError(error);
  const reply = jsonReply(errorBody(appError), appError.status, appError.headers);
  return options.head ? { ...reply, body: null } : reply;
}

export function errorResponse(error: unknown, options: { head?: boolean } = {}): Response {
  return toWebResponse(errorReply(error, options));
}

// The only two error types the template engine throws. Callers map TemplateError to a 422 at
// save time, and both to a permanent (non-retryable) delivery failure at send time.
import type { TemplateMode } from "@/lib/templates/modes";

export type TemplateErrorCode = "syntax" | "unknown_variable" | "invalid_name" | "forbidden_env" | "invalid_for_mode";

export type TemplateRenderErrorCode = "missing_value" | "invalid_result";

export interface TemplateErrorOptions {
  /** The placeholder's expression without braces, e.g. "env:DATABASE_URL". */
  variable?: string;
  /** Index in the template source (UTF-16 code units) where the problem starts. */
  position?: number;
}

/** The template itself is wrong: bad syntax, unknown variable, or unusable in the given mode. */
export class TemplateError extends Error {
  override name = "TemplateError";
  readonly code: TemplateErrorCode;
  readonly variable: string | undefined;
  readonly position: number | undefined;

  constructor(code: TemplateErrorCode, message: string, options: TemplateErrorOptions = {}) {
    super(message);
    this.code = code;
    this.variable = options.variable;
    this.position = options.position;
  }
}

/** A valid template whose values, in this event, cannot produce a valid result for the mode. */
export class TemplateRenderError extends Error {
  override name = "TemplateRenderError";
  readonly code: TemplateRenderErrorCode;
  readonly mode: TemplateMode;
  readonly variable: string | undefined;

  constructor(code: TemplateRenderErrorCode, mode: TemplateMode, message: string, variable?: string) {
    super(message);
    this.code = code;
    this.mode = mode;
    this.variable = variable;
  }
}

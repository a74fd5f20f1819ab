// Where a form shows the API's error: under the field it names (`FieldError`; `unnamed` also
// takes errors naming no field), or at the form's foot when no field of the form shows it.
import type { ApiError } from "@/app/_ui/api-client";

export function FieldError({ error, field, unnamed = false }: { error: ApiError | null; field: string; unnamed?: boolean }) {
  if (!error || (error.field !== field && !(unnamed && !error.field))) return null;
  return (
    <p className="field-error" role="alert">
      {error.message}
    </p>
  );
}

/** At the form's foot: the error, unless `shownAtField` says a field already shows it. */
export function FormError({ error, shownAtField }: { error: ApiError | null; shownAtField: (field: string | undefined) => boolean }) {
  if (!error || shownAtField(error.field)) return null;
  return (
    <p className="form-error" role="alert">
      {error.message}
    </p>
  );
}

/** For forms with a FieldError under each field: any error naming a field is shown there. */
export const namedFieldShows = (field: string | undefined) => field !== undefined;

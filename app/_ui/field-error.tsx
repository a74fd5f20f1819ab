// The API's error, shown under the field it names; `unnamed` also takes errors naming no field
// (for a form with no other place to show them).
import type { ApiError } from "@/app/_ui/api-client";

export function FieldError({ error, field, unnamed = false }: { error: ApiError | null; field: string; unnamed?: boolean }) {
  if (!error || (error.field !== field && !(unnamed && !error.field))) return null;
  return (
    <p className="field-error" role="alert">
      {error.message}
    </p>
  );
}

// A short rendering of a value for a reason: strings quoted and cut, lists of a few scalars shown,
// anything bigger summarised, so a reason stays one short line whatever the request holds.
const maxPreviewLength = 60;

function scalarText(value: unknown): string {
  if (typeof value === "string") {
    const cut = value.length > maxPreviewLength ? `${value.slice(0, maxPreviewLength)}…` : value;
    return JSON.stringify(cut);
  }
  if (value === undefined) return "missing";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  return "an object";
}

/** `"order.created"`, `42`, `["a", "b"]`, `a list of 12`, `an object`. */
export function preview(value: unknown): string {
  if (!Array.isArray(value)) return scalarText(value);
  const items = value as unknown[];
  if (items.length > 5 || items.some((item) => typeof item === "object" && item !== null)) return scalarText(items);
  const text = `[${items.map(scalarText).join(", ")}]`;
  return text.length > maxPreviewLength * 2 ? scalarText(items) : text;
}

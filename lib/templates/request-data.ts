// Which placeholders carry data chosen by whoever sends the trigger. Those may fill a message,
// but never decide where it goes: not a URL's origin, an MQTT topic level or client id, nor an
// AMQP routing-key word. `{var.…}`, `{env:…}` and `{secret:…}` are the operator's own values.
import type { Expression } from "@/lib/templates/expression";

export function isRequestExpression(expression: Expression): boolean {
  switch (expression.kind) {
    case "query":
    case "header":
    case "body":
      return true;
    case "simple":
      return expression.name === "method" || expression.name === "path" || expression.name === "original_payload";
    case "var":
    case "env":
    case "secret":
      return false;
  }
}

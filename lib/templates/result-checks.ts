// What a finished render must satisfy per mode. Messages never quote the rendered text: it can
// hold secrets, and these messages end up in delivery logs.
import { TemplateRenderError } from "@/lib/templates/errors";
import type { TemplateMode } from "@/lib/templates/modes";
import { hasLoneSurrogate, utf8ByteLength } from "@/lib/templates/values";

export const defaultUrlProtocols: readonly string[] = ["http", "https"];
const maxMqttTopicBytes = 65_535;
const maxAmqpRoutingKeyBytes = 255;

const urlForbidden = /[\u0000-\u0020\u007F-\u009F]/;
const topicControl = /[\u0000-\u001F\u007F-\u009F]/;
const dotSegment = /^(?:\.|%2e){1,2}$/i;
// The URL parser would also accept "https:host" and "https:///host"; requiring the canonical
// "scheme://host" form keeps a placeholder meant for the path from becoming the host.
const schemeAndHost = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\\?#]/;
const pathOfUrl = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[/\\]{2}[^/\\?#]*)?([^?#]*)/;

function fail(mode: TemplateMode, message: string): TemplateRenderError {
  return new TemplateRenderError("invalid_result", mode, message);
}

// The URL parser resolves "." and ".." (also as %2e), so a value such as ".." would climb out
// of the path the operator wrote; refuse instead of letting normalisation change the target.
function hasDotSegment(url: string): boolean {
  const path = pathOfUrl.exec(url)?.[1] ?? "";
  return path.split(/[/\\]/).some((segment) => dotSegment.test(segment));
}

function checkUrl(output: string, protocols: readonly string[]): void {
  const expected = protocols.map((protocol) => `${protocol}://`).join(" or ");
  if (urlForbidden.test(output)) throw fail("url", "the rendered URL contains whitespace or control characters");
  let url: URL;
  try {
    url = new URL(output);
  } catch {
    throw fail("url", `the rendered URL is not a valid absolute URL starting with ${expected}`);
  }
  if (!protocols.includes(url.protocol.slice(0, -1)) || url.host === "" || !schemeAndHost.test(output)) {
    throw fail("url", `the rendered URL must start with ${expected} and name a host`);
  }
  if (hasDotSegment(output)) throw fail("url", `the rendered URL must not contain "." or ".." path segments`);
}

function checkMqttTopic(output: string): void {
  const mode = "mqtt_topic";
  if (output === "") throw fail(mode, "the rendered MQTT topic is empty");
  if (output.includes("+") || output.includes("#")) throw fail(mode, "the rendered MQTT topic contains a wildcard (+ or #)");
  if (topicControl.test(output)) throw fail(mode, "the rendered MQTT topic contains NUL or control characters");
  if (hasLoneSurrogate(output)) throw fail(mode, "the rendered MQTT topic is not valid UTF-8");
  if (output.startsWith("/") || output.endsWith("/") || output.includes("//")) {
    throw fail(mode, "the rendered MQTT topic has an empty level (leading, trailing or double /)");
  }
  if (utf8ByteLength(output) > maxMqttTopicBytes) throw fail(mode, `the rendered MQTT topic exceeds ${maxMqttTopicBytes} bytes`);
}

function checkJson(output: string): void {
  try {
    JSON.parse(output);
  } catch {
    throw fail("json", "the rendered payload is not valid JSON");
  }
}

/** Throws TemplateRenderError if `output` is not a valid result for `mode`. */
export function checkResult(mode: TemplateMode, output: string, urlProtocols: readonly string[]): void {
  switch (mode) {
    case "json":
      return checkJson(output);
    case "url":
      return checkUrl(output, urlProtocols);
    case "mqtt_topic":
      return checkMqttTopic(output);
    case "amqp_routing_key":
      if (utf8ByteLength(output) > maxAmqpRoutingKeyBytes) {
        throw fail(mode, `the rendered AMQP routing key exceeds ${maxAmqpRoutingKeyBytes} bytes`);
      }
      return;
    case "text":
    case "header":
    case "form":
    case "xml":
      return;
  }
}

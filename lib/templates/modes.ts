// The contexts a template can be rendered into; each decides how inserted values are escaped
// and what the finished string must satisfy.
export const templateModes = ["text", "json", "header", "url", "form", "xml", "mqtt_topic", "amqp_routing_key"] as const;

export type TemplateMode = (typeof templateModes)[number];

export interface TemplateModeOptions {
  /**
   * `url` mode only: schemes the rendered URL may use, without "://". Defaults to http and
   * https; broker URLs pass e.g. ["mqtts", "mqtt", "wss", "ws"].
   */
  urlProtocols?: readonly string[];
}

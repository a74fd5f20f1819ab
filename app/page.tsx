// GET / — landing page until the operator UI lands
export default function Home() {
  return (
    <main>
      <h1>Switchyard</h1>
      <p>Webhook triggers that fan out to HTTP, MQTT and AMQP. The operator API lives under /api.</p>
    </main>
  );
}

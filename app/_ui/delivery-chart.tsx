// Deliveries per hour, stacked by status, as inline SVG (no chart library, no client JS).
import type { HourBucket } from "@/lib/deliveries/overview";

const order = ["succeeded", "failed", "dead", "queued", "skipped"] as const;
const width = 720;
const height = 180;
const left = 36;
const bottom = 22;

function niceMax(value: number): number {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * magnitude >= value / 4) ?? 10;
  return Math.ceil(value / (step * magnitude)) * step * magnitude;
}

export function DeliveryChart({ hours }: { hours: HourBucket[] }) {
  const totals = hours.map((hour) => order.reduce((sum, status) => sum + hour[status], 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotHeight = height - bottom - 8;
  const slot = (width - left) / Math.max(1, hours.length);
  const scale = (count: number) => (count / max) * plotHeight;
  const summary = `Deliveries per hour over the last ${hours.length} hours; peak ${Math.max(0, ...totals)} per hour.`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} preserveAspectRatio="none">
        {[0, 0.5, 1].map((fraction) => {
          const y = 8 + plotHeight - fraction * plotHeight;
          return (
            <g key={fraction} className="grid">
              <line x1={left} x2={width} y1={y} y2={y} />
              <text x={left - 4} y={y + 4} textAnchor="end">
                {Math.round(max * fraction)}
              </text>
            </g>
          );
        })}
        {hours.map((hour, index) => {
          let y = 8 + plotHeight;
          const x = left + index * slot + slot * 0.15;
          return (
            <g key={hour.start}>
              <title>{`${hour.start.slice(11, 16)} UTC — ${order.map((status) => `${status} ${hour[status]}`).join(", ")}`}</title>
              {order.map((status) => {
                const barHeight = scale(hour[status]);
                y -= barHeight;
                return barHeight > 0 ? <rect key={status} className={`bar-${status}`} x={x} y={y} width={slot * 0.7} height={barHeight} /> : null;
              })}
              {index % 6 === 0 ? (
                <text className="axis" x={x + slot * 0.35} y={height - 6} textAnchor="middle">
                  {hour.start.slice(11, 16)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        {order.map((status) => (
          <span key={status}>
            <i className={`swatch bar-${status}`} aria-hidden="true" /> {status}
          </span>
        ))}
        <span className="muted">hours in UTC</span>
      </figcaption>
    </figure>
  );
}

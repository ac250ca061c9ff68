// A small SVG chart of a running total over time (the provider's earnings, its tokens served): no chart library, one
// path (cumulativeSeries.ts), the total and the time span as text.
import { chartPath, cumulativeSeries, type TimedAmount } from "../lib/cumulativeSeries.ts";
import { formatDate } from "../lib/format.ts";

const WIDTH = 320;
const HEIGHT = 80;

export type TimeChartProps = { title: string; events: readonly TimedAmount[]; format: (total: bigint) => string };

export function TimeChart({ title, events, format }: TimeChartProps) {
  const points = cumulativeSeries(events);
  const last = points.at(-1);
  return (
    <figure className="chart" data-testid={`chart-${title.toLowerCase().replace(/\W+/g, "-")}`}>
      <figcaption>
        {title} <strong>{last ? format(last.total) : format(0n)}</strong>
      </figcaption>
      <svg viewBox={`-2 -2 ${WIDTH + 4} ${HEIGHT + 4}`} width={WIDTH} height={HEIGHT} role="img" aria-label={title}>
        <line x1={0} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} className="axis" />
        <path d={chartPath(points, WIDTH, HEIGHT)} className="series" />
      </svg>
      {points.length > 0 && (
        <p className="hint">
          {formatDate(points[0]!.at)} → {formatDate(last!.at)}
        </p>
      )}
    </figure>
  );
}

// Earnings and tokens over time for the provider dashboard's charts: each finalized job adds its amount at its block's
// time; the series is the running total, and `chartPath` draws it as an SVG step line in a width × height box.

export type TimedAmount = { at: number; amount: bigint };
export type SeriesPoint = { at: number; total: bigint };

/** The running total after each event, in time order (events at the same time are one point). */
export function cumulativeSeries(events: readonly TimedAmount[]): SeriesPoint[] {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const points: SeriesPoint[] = [];
  let total = 0n;
  for (const { at, amount } of sorted) {
    total += amount;
    const last = points.at(-1);
    if (last && last.at === at) last.total = total;
    else points.push({ at, total });
  }
  return points;
}

/** An SVG path of the series as steps (a total holds until the next event), starting from zero at the first event
 *  and holding the last total to the right edge.
 *  Amounts are scaled as numbers: a chart needs no more than a float's precision. */
export function chartPath(points: readonly SeriesPoint[], width: number, height: number): string {
  if (points.length === 0) return "";
  const t0 = points[0]!.at;
  const span = Math.max(points.at(-1)!.at - t0, 1);
  const max = Number(points.at(-1)!.total) || 1;
  const x = (at: number) => round(((at - t0) / span) * width);
  const y = (total: bigint) => round(height - (Number(total) / max) * height);
  let d = `M${x(t0)},${height}`;
  for (const p of points) d += ` H${x(p.at)} V${y(p.total)}`;
  return `${d} H${width}`;
}

const round = (n: number) => Math.round(n * 10) / 10;

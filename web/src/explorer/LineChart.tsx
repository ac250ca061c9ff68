// A step line of a running total over time in plain SVG (earnings of a provider), with its first and last dates.
import { formatDate } from "../lib/format.ts";

export type Point = { t: number; value: number };

export function LineChart({
  title,
  points,
  format,
  testId,
}: {
  title: string;
  points: readonly Point[];
  format: (v: number) => string;
  testId?: string;
}) {
  const width = 560;
  const height = 160;
  const pad = { left: 8, right: 110, top: 10, bottom: 22 };
  if (points.length === 0)
    return (
      <figure className="chart" data-testid={testId}>
        <figcaption>{title}</figcaption>
        <p className="hint">Nothing yet.</p>
      </figure>
    );
  const t0 = points[0]!.t;
  const t1 = Math.max(points.at(-1)!.t, t0 + 1);
  const max = Math.max(1e-9, ...points.map((p) => p.value));
  const x = (t: number) => pad.left + ((t - t0) / (t1 - t0)) * (width - pad.left - pad.right);
  const y = (v: number) => height - pad.bottom - (v / max) * (height - pad.top - pad.bottom);
  // A step: the total holds until the next payment.
  let d = `M ${x(t0)} ${y(0)}`;
  for (const p of points) d += ` H ${x(p.t)} V ${y(p.value)}`;
  d += ` H ${x(t1)}`;
  const last = points.at(-1)!;
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg width={width} height={height} role="img" aria-label={title}>
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} stroke="var(--line)" />
        <path d={d} fill="none" stroke="var(--accent)" strokeWidth={2} />
        <text x={x(t1) + 6} y={y(last.value) + 4} fontSize={12}>
          {format(last.value)}
        </text>
        <text x={pad.left} y={height - 6} fontSize={11} fill="var(--muted)">
          {formatDate(t0)}
        </text>
        <text x={width - pad.right} y={height - 6} fontSize={11} textAnchor="end" fill="var(--muted)">
          {formatDate(t1)}
        </text>
      </svg>
    </figure>
  );
}

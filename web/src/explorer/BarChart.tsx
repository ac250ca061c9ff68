// A horizontal bar chart in plain SVG: one bar per label, scaled to the largest value. No chart library: the explorer
// draws a handful of bars and one line, which SVG does in a few lines and no kilobytes.
export type Bar = { label: string; value: number; display?: string };

export function BarChart({ title, bars, testId }: { title: string; bars: readonly Bar[]; testId?: string }) {
  const max = Math.max(1e-9, ...bars.map((b) => b.value));
  const row = 22;
  const labelWidth = 150;
  const width = 520;
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg width={width} height={bars.length * row + 4} role="img" aria-label={title}>
        {bars.map((b, i) => {
          const w = Math.max(1, ((width - labelWidth - 130) * b.value) / max);
          return (
            <g key={b.label} transform={`translate(0 ${i * row + 2})`}>
              <text x={labelWidth - 6} y={14} textAnchor="end" fontSize={12}>
                {b.label}
              </text>
              <rect x={labelWidth} y={3} width={w} height={14} rx={2} fill="var(--accent)" />
              <text x={labelWidth + w + 6} y={14} fontSize={12}>
                {b.display ?? b.value.toLocaleString("en-US")}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

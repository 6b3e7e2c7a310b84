/** A small line chart of [x, y] points, scaled to fit; for live training curves. */
export interface CurveProps {
  points: readonly [number, number][];
  label: string;
  /** Fixed y range; default: the data's own. */
  yRange?: [number, number];
  testId?: string;
}

const WIDTH = 240;
const HEIGHT = 60;

export function Curve({ points, label, yRange, testId }: CurveProps) {
  const last = points.at(-1);
  return (
    <figure className="curve" data-testid={testId} data-points={points.length}>
      <figcaption>
        {label}
        {last && <span className="curve-value">{last[1].toFixed(3)}</span>}
      </figcaption>
      <svg width={WIDTH} height={HEIGHT} role="img" aria-label={label}>
        <polyline
          fill="none"
          stroke="currentColor"
          strokeWidth={1.5}
          points={toPath(points, yRange)}
        />
      </svg>
    </figure>
  );
}

function toPath(points: readonly [number, number][], yRange?: [number, number]): string {
  if (points.length === 0) return '';
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]).filter(Number.isFinite);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = yRange ?? [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => (x1 > x0 ? ((x - x0) / (x1 - x0)) * (WIDTH - 4) + 2 : WIDTH / 2);
  const sy = (y: number) =>
    y1 > y0 ? HEIGHT - 2 - ((y - y0) / (y1 - y0)) * (HEIGHT - 4) : HEIGHT / 2;
  return points
    .filter((p) => Number.isFinite(p[1]))
    .map((p) => `${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`)
    .join(' ');
}

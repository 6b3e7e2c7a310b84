/**
 * A curve of bounded length (training loss per step, validation IoU per epoch): points are
 * averaged into buckets, and when the curve fills up, neighbouring buckets merge and the
 * bucket size doubles. A ten-minute run with thousands of steps still sends a few hundred
 * points, each the mean of the points it stands for.
 */
export class ThinnedCurve {
  private readonly buckets: [number, number][] = [];
  private stride = 1;
  private sumX = 0;
  private sumY = 0;
  private count = 0;

  /** `max`: the most points {@link points} returns; even, at least 2. */
  constructor(private readonly max = 300) {}

  /** Adds the point (x, y); a non-finite y is left out. */
  add(x: number, y: number): void {
    if (!Number.isFinite(y)) return;
    this.sumX += x;
    this.sumY += y;
    this.count++;
    if (this.count < this.stride) return;
    this.buckets.push([this.sumX / this.count, this.sumY / this.count]);
    this.sumX = this.sumY = this.count = 0;
    // Merge when full, so that a partly filled bucket still fits under `max`.
    if (this.buckets.length >= this.max) this.halve();
  }

  /** The curve as [x, y] pairs in the order added: at most `max`, a fresh array. */
  points(): [number, number][] {
    const points = this.buckets.map((p): [number, number] => [p[0], p[1]]);
    if (this.count > 0) points.push([this.sumX / this.count, this.sumY / this.count]);
    return points;
  }

  private halve(): void {
    const merged: [number, number][] = [];
    for (let i = 0; i + 1 < this.buckets.length; i += 2) {
      const [a, b] = [this.buckets[i]!, this.buckets[i + 1]!];
      merged.push([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
    }
    this.buckets.length = 0;
    this.buckets.push(...merged);
    this.stride *= 2;
  }
}

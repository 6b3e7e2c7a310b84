/**
 * Overlapping tiles for inference on images larger than the model's input, and the
 * weighted blending that stitches per-tile class probabilities back together.
 *
 * All coordinates are image pixels; images and probability maps are row-major,
 * channels last ([H×W×C]).
 */
import { assert } from './errors';

/** A tile's region of the image: `w × h` pixels whose top-left corner is (x, y). */
export interface Tile {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Running sums for {@link accumulateTile}; create with {@link createBlend}. */
export interface Blend {
  width: number;
  height: number;
  channels: number;
  tile: number;
  /** tile × tile weights, see {@link blendWindow}. */
  window: Float32Array;
  /** Σ weight × probability, [H×W×C]. */
  sum: Float64Array;
  /** Σ weight, [H×W]. */
  weight: Float64Array;
}

function axisStarts(size: number, tile: number, overlap: number): number[] {
  if (size <= tile) return [0];
  const starts: number[] = [];
  for (let s = 0; ; s += tile - overlap) {
    // The last tile is shifted inward to end at the border, overlapping more than asked.
    if (s + tile >= size) return [...starts, size - tile];
    starts.push(s);
  }
}

/**
 * Tiles of `tile × tile` pixels, neighbours sharing at least `overlap` pixels, covering
 * the image in row-major order. Along an axis shorter than `tile` there is one tile,
 * clipped to the image (`w` or `h` < tile); {@link extractTile} pads it for the model.
 */
export function planTiles(width: number, height: number, tile: number, overlap: number): Tile[] {
  assert(tile >= 1 && overlap >= 0 && overlap < tile, 'need 0 ≤ overlap < tile');
  const tiles: Tile[] = [];
  for (const y of axisStarts(height, tile, overlap)) {
    for (const x of axisStarts(width, tile, overlap)) {
      tiles.push({ x, y, w: Math.min(tile, width), h: Math.min(tile, height) });
    }
  }
  return tiles;
}

/** Mirrors index i into 0..n-1 without repeating the edge: …2 1 | 0 1 2 … n-1 | n-2 … */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}

/**
 * Copies a tile out of an [H×W×C] image into a new `tile × tile × C` array. Where the
 * tile is clipped (the image is smaller than `tile`), the right and bottom are filled by
 * reflecting the image, so the model sees plausible texture rather than a hard edge.
 */
export function extractTile(
  image: Float32Array,
  width: number,
  height: number,
  channels: number,
  t: Tile,
  tile: number,
): Float32Array {
  const out = new Float32Array(tile * tile * channels);
  for (let row = 0; row < tile; row++) {
    const sy = reflectIndex(t.y + row, height);
    for (let col = 0; col < tile; col++) {
      const from = (sy * width + reflectIndex(t.x + col, width)) * channels;
      out.set(image.subarray(from, from + channels), (row * tile + col) * channels);
    }
  }
  return out;
}

/**
 * Separable linear ramp, tile × tile: 1 in the middle, falling over `overlap` pixels
 * towards each edge to 1/(overlap+1), never 0, so border pixels that only one tile
 * covers still get a usable weight.
 */
export function blendWindow(tile: number, overlap: number): Float32Array {
  const ramp = Array.from({ length: tile }, (_, i) =>
    Math.min(1, (i + 1) / (overlap + 1), (tile - i) / (overlap + 1)),
  );
  const window = new Float32Array(tile * tile);
  for (let y = 0; y < tile; y++) {
    for (let x = 0; x < tile; x++) window[y * tile + x] = ramp[y]! * ramp[x]!;
  }
  return window;
}

/**
 * Starts a blend of an image's tiles. Sums are Float64 (twice the memory of the result)
 * so that tiles agreeing on a value blend back to exactly that Float32 value.
 */
export function createBlend(
  width: number,
  height: number,
  channels: number,
  tile: number,
  overlap: number,
): Blend {
  return {
    width,
    height,
    channels,
    tile,
    window: blendWindow(tile, overlap),
    sum: new Float64Array(width * height * channels),
    weight: new Float64Array(width * height),
  };
}

/**
 * Adds one tile's probabilities, `tile × tile × C` as the model produced them for the
 * input from {@link extractTile}; only the tile's `w × h` region is read.
 */
export function accumulateTile(blend: Blend, t: Tile, probs: Float32Array): void {
  const { width, channels, tile, window, sum, weight } = blend;
  assert(probs.length === tile * tile * channels, 'tile probabilities have the wrong size');
  for (let row = 0; row < t.h; row++) {
    for (let col = 0; col < t.w; col++) {
      const w = window[row * tile + col]!;
      const pixel = (t.y + row) * width + t.x + col;
      const from = (row * tile + col) * channels;
      weight[pixel]! += w;
      for (let c = 0; c < channels; c++) sum[pixel * channels + c]! += w * probs[from + c]!;
    }
  }
}

/** Divides the sums by the weights: the blended [H×W×C] probabilities. */
export function finishBlend(blend: Blend): Float32Array {
  const { channels, sum, weight } = blend;
  const out = new Float32Array(sum.length);
  for (let pixel = 0; pixel < weight.length; pixel++) {
    const w = weight[pixel]!;
    assert(w > 0, 'a pixel was not covered by any tile');
    for (let c = 0; c < channels; c++) out[pixel * channels + c] = sum[pixel * channels + c]! / w;
  }
  return out;
}

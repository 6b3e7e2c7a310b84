/**
 * The time budget of a fine-tune when the user gives none, from the amount of labelled data
 * and the speed of the backend. Pure, so the rule is tested as written.
 */
import type { BackendId } from '../../shared/engineProtocol';

/** Budget for a small data set on WebAssembly: about a handful of 256² images. */
export const BASE_SECONDS = 60;
/** The data the base budget is for, in pixels of labelled images (4 × 256²). */
export const BASE_PIXELS = 4 * 256 * 256;
/** No automatic budget is longer: beyond it, a user is better served by a first result. */
export const MAX_SECONDS = 600;
export const MIN_SECONDS = 20;

/**
 * The share of the WebAssembly budget each backend gets. A faster backend takes the same
 * number of steps in less time, but not proportionally less (more steps still help), so the
 * factors are gentler than the speed-ups. Plain JavaScript is slower than WebAssembly but
 * gets no more time: a first model sooner beats a better one much later.
 */
export const BACKEND_TIME_FACTOR: Readonly<Record<BackendId, number>> = {
  'tensorflow-gpu': 0.25,
  webgpu: 0.35,
  tensorflow: 0.5,
  wasm: 1,
  cpu: 1,
};

/**
 * Seconds to train on `pixels` labelled-image pixels (the whole area of every image that
 * carries labels, training and validation) with `backend`. On WebAssembly: 60 s up to
 * {@link BASE_PIXELS}, growing with the square root of the data (four times the pixels,
 * twice the time) up to 10 min, reached at 100 × BASE_PIXELS (about 26 megapixels). Other
 * backends scale that by {@link BACKEND_TIME_FACTOR}; the result is rounded to 5 s and is
 * never under {@link MIN_SECONDS}.
 */
export function chooseSeconds(pixels: number, backend: BackendId): number {
  const growth = Math.sqrt(Math.max(1, pixels / BASE_PIXELS));
  const wasmSeconds = Math.min(MAX_SECONDS, BASE_SECONDS * growth);
  const seconds = Math.round((wasmSeconds * BACKEND_TIME_FACTOR[backend]) / 5) * 5;
  return Math.max(MIN_SECONDS, seconds);
}

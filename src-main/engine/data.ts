/**
 * Training and evaluation data from folders: images matched to masks by base name, decoded
 * to normalised float pixels and class-id masks. Unreadable pairs are reported and skipped.
 */
import { readFile, readdir } from 'node:fs/promises';
import sharp from 'sharp';
import { basename, extname, join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { FilePair } from '../../shared/engineProtocol';
import { NOT_LABELLED } from '../../shared/project';
import { IMPORT_EXTENSIONS, decodeImage, type RawImage } from '../imageio';
import type { Sample as AugmentSample } from './augment';

/**
 * A named image and mask: `image` is H×W×C in [0, 1] (not yet normalised), C the data
 * set's input channels; `mask` is H×W class ids, 255 = not labelled (ignored).
 */
export interface Sample extends AugmentSample {
  name: string;
  /** The image file it was read from. */
  path: string;
}

export interface DataSet {
  samples: Sample[];
  inputChannels: 1 | 3;
  /** Number of classes including background: the largest class id + 1, at least 2. */
  classes: number;
  skipped: { path: string; reason: string }[];
}

export class DataError extends AppError<'NO_DATA' | 'BAD_FOLDER'> {}

/** Lists image files of a folder, sorted by name with numbers in order. */
export async function listImageFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new DataError('BAD_FOLDER', `${dir}: not a readable folder`);
  }
  return names
    .filter((n) => IMPORT_EXTENSIONS.includes(extname(n).toLowerCase()))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .map((n) => join(dir, n));
}

/**
 * Loads image/mask pairs from two folders. A mask set holding only 0 and 255 is binary
 * (255 → class 1); otherwise a pixel is its class id and 255 means not labelled.
 * `classes`, when given, fixes the class count (see {@link toDataSet}).
 */
export async function loadFolderPairs(
  imagesDir: string,
  masksDir: string,
  classes?: number | null,
): Promise<DataSet> {
  const masks = new Map((await listImageFiles(masksDir)).map((f) => [stem(f), f]));
  const skipped: DataSet['skipped'] = [];
  const pairs: FilePair[] = [];
  for (const file of await listImageFiles(imagesDir)) {
    const maskFile = masks.get(stem(file));
    if (maskFile) {
      pairs.push({ image: file, mask: maskFile });
    } else {
      const reason = `${basename(file)}: no mask of the same name in ${masksDir}`;
      skipped.push({ path: file, reason });
    }
  }
  const raw = await readPairs(pairs, skipped);
  if (raw.length === 0) {
    throw new DataError('NO_DATA', `${imagesDir}: no image with a readable mask in ${masksDir}`);
  }
  const binary = raw.every((r) => r.mask.every((v) => v === 0 || v === 255));
  if (binary) {
    for (const r of raw) r.mask.forEach((v, i) => (r.mask[i] = v === 255 ? 1 : 0));
  }
  return toDataSet(raw, skipped, classes);
}

/**
 * Loads listed image/mask pairs, as a project keeps them: a mask pixel is its class id and
 * 255 is not labelled, always (a mask of only 0 and 255 is background and unlabelled, not
 * binary). Samples keep the order of `pairs`, less the unreadable ones, which are skipped.
 */
export async function loadFilePairs(
  pairs: readonly FilePair[],
  classes?: number | null,
): Promise<DataSet> {
  const skipped: DataSet['skipped'] = [];
  const raw = await readPairs(pairs, skipped);
  if (raw.length === 0) {
    const why = `none of the ${pairs.length} labelled images could be read with its mask`;
    throw new DataError('NO_DATA', why);
  }
  return toDataSet(raw, skipped, classes);
}

interface RawPair {
  name: string;
  /** The image file's path, as listed. */
  path: string;
  image: RawImage;
  mask: Uint8Array;
}

async function readPairs(
  pairs: readonly FilePair[],
  skipped: DataSet['skipped'],
): Promise<RawPair[]> {
  const raw: RawPair[] = [];
  for (const pair of pairs) {
    try {
      const image = await decodeImage(pair.image);
      const mask = await readMaskAnyDepth(pair.mask, image.width, image.height);
      raw.push({ name: basename(pair.image), path: pair.image, image, mask });
    } catch (err) {
      skipped.push({ path: pair.image, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return raw;
}

/**
 * Samples from decoded pairs. Classes: `classes` when given (mask values at or above it
 * become not labelled, so the loss never sees an id the model cannot output), else the
 * largest id found + 1, at least 2. Grey unless some image has colour.
 */
function toDataSet(raw: RawPair[], skipped: DataSet['skipped'], classes?: number | null): DataSet {
  let maxClass = 1;
  for (const r of raw) {
    if (classes) {
      for (let i = 0; i < r.mask.length; i++) if (r.mask[i]! >= classes) r.mask[i] = NOT_LABELLED;
    }
    for (const v of r.mask) if (v !== NOT_LABELLED && v > maxClass) maxClass = v;
  }
  const inputChannels = raw.every((r) => r.image.channels <= 2) ? 1 : 3;
  const samples = raw.map((r) => ({
    name: r.name,
    path: r.path,
    width: r.image.width,
    height: r.image.height,
    channels: inputChannels,
    image: toFloat(r.image, inputChannels),
    mask: r.mask,
  }));
  return { samples, inputChannels, classes: classes ?? maxClass + 1, skipped };
}

async function readMaskAnyDepth(file: string, width: number, height: number): Promise<Uint8Array> {
  const { data, info } = await sharp(await readFile(file))
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) {
    throw new DataError(
      'BAD_FOLDER',
      `${basename(file)}: mask is ${info.width}×${info.height}, image is ${width}×${height}`,
    );
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

/** Samples scaled to [0, 1] by bit depth; alpha dropped; grey repeated when RGB is wanted. */
export function toFloat(image: RawImage, channels: 1 | 3): Float32Array {
  const scale = image.data instanceof Uint16Array ? 1 / 65535 : 1 / 255;
  const pixels = image.width * image.height;
  const out = new Float32Array(pixels * channels);
  const src = image.channels;
  const colour = src === 2 || src === 4 ? src - 1 : src;
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < channels; c++) {
      const from = colour === 1 ? 0 : channels === 1 ? -1 : c;
      out[p * channels + c] =
        from >= 0
          ? image.data[p * src + from]! * scale
          : // RGB to grey: the Rec. 601 luma weights.
            (0.299 * image.data[p * src]! +
              0.587 * image.data[p * src + 1]! +
              0.114 * image.data[p * src + 2]!) *
            scale;
    }
  }
  return out;
}

/** Mean and standard deviation over all pixels and channels, for the model's input. */
export function pixelStats(samples: readonly Sample[]): { mean: number; std: number } {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (const s of samples) {
    for (const v of s.image) {
      sum += v;
      sumSq += v * v;
    }
    n += s.image.length;
  }
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(sumSq / n - mean * mean, 1e-8)) };
}

function stem(file: string): string {
  return basename(file, extname(file));
}

/**
 * Image decoding and encoding for the main process, on sharp (libvips): probing imports,
 * browser-viewable renderings of any supported image (16-bit scaled to 8-bit), thumbnails,
 * and masks as 8-bit single-channel PNGs.
 *
 * Every function takes bytes or a path it reads itself into memory first, so libvips's file
 * cache can never hand back a stale mask after it was rewritten.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import sharp, { type CreateRaw, type Metadata, type OutputInfo } from 'sharp';
import { AppError } from '../shared/errors';

sharp.cache(false);

export type ImageErrorCode = 'UNREADABLE_IMAGE' | 'UNSUPPORTED_IMAGE' | 'BAD_MASK';

export class ImageError extends AppError<ImageErrorCode> {}

export const IMPORT_FORMATS = ['png', 'jpeg', 'tiff'] as const;
export const IMPORT_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.tif', '.tiff'];

export interface ImageInfo {
  format: (typeof IMPORT_FORMATS)[number];
  width: number;
  height: number;
  /** 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  bitDepth: 8 | 16;
}

/** Reads what an import needs to know, or throws an ImageError that names the file. */
export async function probeImage(file: string, bytes?: Buffer): Promise<ImageInfo> {
  const name = basename(file);
  let meta: Metadata;
  try {
    meta = await sharp(bytes ?? (await readFile(file))).metadata();
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/\s+/g, ' ') : String(err);
    throw new ImageError('UNREADABLE_IMAGE', `${name}: not a readable image (${why})`);
  }
  const format = meta.format as string;
  if (!(IMPORT_FORMATS as readonly string[]).includes(format)) {
    throw new ImageError(
      'UNSUPPORTED_IMAGE',
      `${name}: ${format} images are not supported; use PNG, JPEG or TIFF`,
    );
  }
  const bitDepth =
    meta.depth === 'uchar' || meta.depth === 'char' ? 8 : meta.depth === 'ushort' ? 16 : null;
  if (bitDepth === null) {
    throw new ImageError(
      'UNSUPPORTED_IMAGE',
      `${name}: ${meta.depth} samples are not supported; use 8- or 16-bit`,
    );
  }
  const channels = meta.channels;
  if (!meta.width || !meta.height || !channels || channels < 1 || channels > 4) {
    throw new ImageError(
      'UNSUPPORTED_IMAGE',
      `${name}: ${channels ?? 'unknown'} channels; expected 1 to 4`,
    );
  }
  return {
    format: format as ImageInfo['format'],
    width: meta.width,
    height: meta.height,
    channels,
    bitDepth,
  };
}

/** Decoded samples, row-major, interleaved channels. 16-bit images give a Uint16Array. */
export interface RawImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array | Uint16Array;
}

export async function decodeImage(file: string): Promise<RawImage> {
  const bytes = await readFile(file);
  const info = await probeImage(file, bytes);
  // libvips hands single-band images out as sRGB unless told the bands' meaning, and drops
  // the alpha band of grey+alpha when told; so grey+alpha is read as RGBA and picked apart.
  const deep = info.bitDepth === 16;
  const space = info.channels === 1 ? (deep ? 'grey16' : 'b-w') : deep ? 'rgb16' : 'srgb';
  const { data, info: out } = await sharp(bytes)
    .toColourspace(space)
    .raw({ depth: deep ? 'ushort' : 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const samples =
    info.bitDepth === 16
      ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (info.channels === 2 && out.channels === 4) {
    return {
      width: out.width,
      height: out.height,
      channels: 2,
      data: pickBands(samples, 4, [0, 3]),
    };
  }
  return { width: out.width, height: out.height, channels: out.channels, data: samples };
}

function pickBands<T extends Uint8Array | Uint16Array>(
  data: T,
  stride: number,
  bands: number[],
): T {
  const pixels = data.length / stride;
  const out = new (data.constructor as new (n: number) => T)(pixels * bands.length);
  for (let p = 0; p < pixels; p++) {
    for (let b = 0; b < bands.length; b++)
      out[p * bands.length + b] = data[p * stride + bands[b]!]!;
  }
  return out;
}

/**
 * An 8-bit PNG a browser can show. 16-bit images are stretched from their own minimum to
 * maximum (microscopes often fill 12 of 16 bits, which would otherwise look black).
 */
export async function renderViewable(file: string): Promise<Buffer> {
  const raw = await decodeImage(file);
  const bytes = raw.data instanceof Uint8Array ? raw.data : stretchTo8Bit(raw.data, raw.channels);
  return sharp(bytes, { raw: rawOptions(raw) })
    .toColourspace(raw.channels <= 2 ? 'b-w' : 'srgb')
    .png({ compressionLevel: 1 })
    .toBuffer();
}

function rawOptions(raw: RawImage): CreateRaw {
  return { width: raw.width, height: raw.height, channels: raw.channels as 1 | 2 | 3 | 4 };
}

/** Colour channels are stretched together; an alpha channel is scaled by 255/65535. */
export function stretchTo8Bit(data: Uint16Array, channels: number): Uint8Array {
  const hasAlpha = channels === 2 || channels === 4;
  const colour = hasAlpha ? channels - 1 : channels;
  let lo = 65535;
  let hi = 0;
  for (let i = 0; i < data.length; i++) {
    if (hasAlpha && i % channels === colour) continue;
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    out[i] = hasAlpha && i % channels === colour ? v >> 8 : Math.round((v - lo) * scale);
  }
  return out;
}

export async function renderThumbnail(viewablePng: Buffer, size = 160): Promise<Buffer> {
  return sharp(viewablePng)
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .png()
    .toBuffer();
}

/** Encodes a mask (class id per pixel) as an 8-bit greyscale PNG any tool can open. */
export async function encodeMask(data: Uint8Array, width: number, height: number): Promise<Buffer> {
  return sharp(data, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 6 })
    .toBuffer();
}

/** Decodes a mask PNG; throws BAD_MASK naming the file if it is not w×h single-channel 8-bit. */
export async function decodeMask(file: string, width: number, height: number): Promise<Uint8Array> {
  const name = basename(file);
  let result: { data: Buffer; info: OutputInfo };
  let meta: Metadata;
  try {
    const bytes = await readFile(file);
    meta = await sharp(bytes).metadata();
    result = await sharp(bytes).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/\s+/g, ' ') : String(err);
    throw new ImageError('BAD_MASK', `${name}: not a readable mask (${why})`);
  }
  const { data, info } = result;
  if (info.width !== width || info.height !== height) {
    throw new ImageError(
      'BAD_MASK',
      `${name}: mask is ${info.width}×${info.height}, image is ${width}×${height}`,
    );
  }
  if (meta.depth !== 'uchar' || meta.channels !== 1) {
    // NOTE: palette PNGs decode to colours, not indices; reading them is the import issue's.
    throw new ImageError('BAD_MASK', `${name}: a mask must be a single-channel 8-bit PNG`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

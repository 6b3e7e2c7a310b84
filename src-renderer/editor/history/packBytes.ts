/**
 * Run-length coding for the bytes history keeps. Masks are mostly long runs of one class,
 * so a 64×64 tile of a fill shrinks from 4 KiB to a few dozen bytes; bytes that would not
 * shrink are kept as they are, so packing never grows anything.
 */

/** Bytes as history keeps them. */
export interface PackedBytes {
  /** Length of the unpacked bytes. */
  readonly length: number;
  /** Pairs of (run length − 1, value) when run-length coded; otherwise the bytes as given. */
  readonly bytes: Uint8Array;
  readonly isRunLength: boolean;
}

// A run's length is stored minus one in a byte, so runs are at most 256 long.
const MAX_RUN = 256;

// Coding goes here first and is copied out at its final size; grown as needed, never shrunk.
let scratch = new Uint8Array(4096);

/** Packs `raw`, keeping the array itself (not a copy) when coding would not shrink it. */
export function packBytes(raw: Uint8Array): PackedBytes {
  const limit = raw.length;
  if (scratch.length < limit) scratch = new Uint8Array(limit);
  let out = 0;
  for (let i = 0; i < raw.length;) {
    // Coding that reaches the raw size cannot win: stop early and keep the bytes.
    if (out + 2 >= limit) return { length: raw.length, bytes: raw, isRunLength: false };
    const value = raw[i]!;
    let end = i + 1;
    while (end < raw.length && raw[end] === value && end - i < MAX_RUN) end++;
    scratch[out++] = end - i - 1;
    scratch[out++] = value;
    i = end;
  }
  return { length: raw.length, bytes: scratch.slice(0, out), isRunLength: true };
}

/** The original bytes of a packed array: a new array, or the kept one. */
export function unpackBytes(packed: PackedBytes): Uint8Array {
  if (!packed.isRunLength) return packed.bytes;
  const raw = new Uint8Array(packed.length);
  let at = 0;
  for (let i = 0; i < packed.bytes.length; i += 2) {
    const length = packed.bytes[i]! + 1;
    raw.fill(packed.bytes[i + 1]!, at, at + length);
    at += length;
  }
  return raw;
}

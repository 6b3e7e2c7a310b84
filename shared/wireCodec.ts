/**
 * Frames a JSON-like value with binary leaves into one binary message for the web
 * transport, so masks travel as bytes, not as JSON arrays of numbers.
 *
 * Layout: [u32 little-endian header length][header JSON][binary parts back to back].
 * In the header every Uint8Array is replaced by `{ "$bin": index, "length": n }`.
 */

const MARK = '$bin';

export function encodeMessage(value: unknown): Uint8Array {
  const parts: Uint8Array[] = [];
  const header = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) {
      parts.push(v);
      return { [MARK]: parts.length - 1, length: v.byteLength };
    }
    return v;
  });
  const headerBytes = new TextEncoder().encode(header);
  const total = 4 + headerBytes.byteLength + parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, headerBytes.byteLength, true);
  out.set(headerBytes, 4);
  let offset = 4 + headerBytes.byteLength;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

export function decodeMessage(bytes: Uint8Array): unknown {
  if (bytes.byteLength < 4) throw new Error('message too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  if (4 + headerLength > bytes.byteLength) throw new Error('message header is truncated');
  const header = new TextDecoder().decode(bytes.subarray(4, 4 + headerLength));

  const lengths: number[] = [];
  JSON.parse(header, (_key, v: unknown) => {
    if (isBinaryRef(v)) lengths[v[MARK]] = v.length;
    return v;
  });
  const starts: number[] = [];
  let offset = 4 + headerLength;
  for (let i = 0; i < lengths.length; i++) {
    starts.push(offset);
    offset += lengths[i] ?? 0;
  }
  if (offset > bytes.byteLength) throw new Error('message body is truncated');

  return JSON.parse(header, (_key, v: unknown) => {
    if (!isBinaryRef(v)) return v;
    const start = starts[v[MARK]] ?? 0;
    // Copy out so the part does not pin the whole frame and is safe to transfer.
    return bytes.slice(start, start + v.length);
  });
}

function isBinaryRef(v: unknown): v is { [MARK]: number; length: number } {
  if (typeof v !== 'object' || v === null) return false;
  const ref = v as Record<string, unknown>;
  return (
    Number.isInteger(ref[MARK]) && Number.isInteger(ref.length) && Object.keys(ref).length === 2
  );
}

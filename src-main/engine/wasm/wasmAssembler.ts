/**
 * Just enough of a WebAssembly assembler to build small SIMD modules at run time (no build
 * step, no toolchain): i32 locals and arithmetic, loops, v128 loads, splats, stores and f32x4
 * arithmetic, and a module of i32-only functions over an imported memory.
 */

/** The parts of the WebAssembly API used here (this project's TS lib has no DOM types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => WasmMemory;
}

export const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'utf8')];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

export const I32 = 0x7f;
export const V128 = 0x7b;

/** One function body. Parameters are locals 0…params − 1; `local` adds more after them. */
export class Body {
  readonly code: number[] = [];
  private readonly locals: number[] = [];

  constructor(readonly params: number) {}

  local(type: number): number {
    this.locals.push(type);
    return this.params + this.locals.length - 1;
  }

  get(i: number): void {
    this.code.push(0x20, ...uleb(i));
  }
  set(i: number): void {
    this.code.push(0x21, ...uleb(i));
  }
  tee(i: number): void {
    this.code.push(0x22, ...uleb(i));
  }
  i32(n: number): void {
    this.code.push(0x41, ...sleb(n));
  }
  add(): void {
    this.code.push(0x6a);
  }
  sub(): void {
    this.code.push(0x6b);
  }
  mul(): void {
    this.code.push(0x6c);
  }
  /** A loop; `brIf(0)` inside it jumps back to its start. */
  loop(): void {
    this.code.push(0x03, 0x40);
  }
  end(): void {
    this.code.push(0x0b);
  }
  brIf(depth: number): void {
    this.code.push(0x0d, ...uleb(depth));
  }
  private simd(op: number): void {
    this.code.push(0xfd, ...uleb(op));
  }
  /** v128.load at the address on the stack plus `offset` bytes. */
  load(offset: number): void {
    this.simd(0x00);
    this.code.push(0, ...uleb(offset));
  }
  /** v128.load32_splat: one f32, in all four lanes. */
  splat(offset: number): void {
    this.simd(0x09);
    this.code.push(0, ...uleb(offset));
  }
  /** v128.store of the top of the stack at the address below it plus `offset` bytes. */
  store(offset: number): void {
    this.simd(0x0b);
    this.code.push(0, ...uleb(offset));
  }
  f32x4Add(): void {
    this.simd(0xe4);
  }
  f32x4Mul(): void {
    this.simd(0xe6);
  }

  /** `a += b` on i32 locals. */
  inc(a: number, b: number): void {
    this.get(a);
    this.get(b);
    this.add();
    this.set(a);
  }

  /** `i -= 1`, leaving the new value on the stack. */
  decrement(i: number): void {
    this.get(i);
    this.i32(1);
    this.sub();
    this.tee(i);
  }

  encode(): number[] {
    const body = [...vec(this.locals.map((t) => [1, t])), ...this.code, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

/**
 * A module of functions taking `params` i32s and returning nothing, each exported under its
 * name, over a memory imported as env.memory (shared ones must declare a maximum: 4 GiB,
 * Emscripten's).
 */
export function moduleBytes(
  params: number,
  functions: [string, Body][],
  shared: boolean,
): Uint8Array {
  const type = [0x60, ...vec(Array.from({ length: params }, () => [I32])), 0];
  const limits = shared ? [0x03, 0, ...uleb(65536)] : [0x00, 0];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([type])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, ...limits]])),
    ...section(3, vec(functions.map(() => [0]))),
    ...section(7, vec(functions.map(([n], i) => [...name(n), 0x00, ...uleb(i)]))),
    ...section(10, vec(functions.map(([, body]) => body.encode()))),
  ]);
}

/**
 * Small assertion helpers and the error shape that crosses process and IPC boundaries.
 * Pure TypeScript: used by the main process, the engine and the renderer alike.
 */

/** An expected failure as it travels over IPC: a thrown Error reaches the renderer as a bare string. */
export interface ErrorInfo {
  code: string;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: string, message: string): { ok: false; error: ErrorInfo } {
  return { ok: false, error: { code, message } };
}

/** A domain failure with a fixed, machine-readable code and a sentence a user can act on. */
export class AppError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}

export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new Error(message);
}

export function assertExists<T>(value: T | null | undefined, message = 'value is missing'): T {
  if (value === null || value === undefined) throw new Error(message);
  return value;
}

export function exhaustiveSwitchError(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

/** Turns anything thrown into the IPC error shape, keeping an AppError's code. */
export function toErrorInfo(err: unknown, fallbackCode = 'INTERNAL'): ErrorInfo {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  if (err instanceof Error) return { code: fallbackCode, message: err.message };
  return { code: fallbackCode, message: String(err) };
}

/**
 * The transport the stores' actions talk through, bound once at startup, and the request
 * helpers, which turn a failure into an error notice so callers only handle success.
 */
import type { Result } from '../../shared/errors';
import { assertExists, toErrorInfo } from '../../shared/errors';
import type { SkipsegApi } from '../../shared/ipc';
import type { Transport } from '../transport';
import { useSessionStore } from './sessionStore';

let bound: Transport | null = null;

/** Sets the transport for every store action; startApp calls it before anything else. */
export function bindTransport(transport: Transport): void {
  bound = transport;
}

export function getTransport(): Transport {
  return assertExists(bound, 'no transport bound: call startApp first');
}

/**
 * Runs one request. On failure it records "`what`: reason" for the error banner; a lost
 * connection is left to the disconnected notice instead. A thrown error becomes a result.
 */
export async function requestResult<T>(
  what: string,
  send: (api: SkipsegApi) => Promise<Result<T>>,
): Promise<Result<T>> {
  let result: Result<T>;
  try {
    result = await send(getTransport().api);
  } catch (err) {
    // Electron rejects with a bare Error when main has no handler or the payload is bad.
    result = { ok: false, error: toErrorInfo(err) };
  }
  if (!result.ok && result.error.code !== 'DISCONNECTED') {
    useSessionStore.getState().reportError(`${what}: ${result.error.message}`);
  }
  return result;
}

/** Like `requestResult`, for results that are never null: the value, or null on failure. */
export async function request<T>(
  what: string,
  send: (api: SkipsegApi) => Promise<Result<T>>,
): Promise<T | null> {
  const result = await requestResult(what, send);
  return result.ok ? result.value : null;
}

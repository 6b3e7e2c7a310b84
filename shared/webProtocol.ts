/**
 * The web mode's wire protocol: one WebSocket at WS_PATH carrying binary frames made by
 * wireCodec.ts. The browser sends requests; the server answers each by id and pushes events.
 */
import type { Result } from './errors';
import type { EventName } from './ipc';

export const WS_PATH = '/ws';
export const MEDIA_PATH = '/media';
/** The query parameter of the launch URL, exchanged for an HttpOnly cookie of this name. */
export const TOKEN_PARAM = 'token';
export const TOKEN_COOKIE = 'skipseg_token';

export interface WireRequest {
  kind: 'request';
  id: number;
  channel: string;
  args: unknown;
}

export interface WireResponse {
  kind: 'response';
  id: number;
  result: Result<unknown>;
}

export interface WireEvent {
  kind: 'event';
  name: EventName;
  payload: unknown;
}

export type WireMessage = WireRequest | WireResponse | WireEvent;

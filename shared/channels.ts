/**
 * The zod-free half of the IPC contract: channel and event names, the per-domain API
 * builder and the media URL scheme. The sandboxed preload imports only this (it may load
 * nothing but 'electron' at runtime); `satisfies` keeps the lists in step with ipc.ts.
 */
import type { Result } from './errors';
import type { Channel, EventName, MediaKind, SkipsegApi } from './ipc';

// `satisfies Record<…, true>` fails to compile on a missing or an unknown name.
const channelSet = {
  'app:info': true,
  'project:current': true,
  'project:open': true,
  'project:create': true,
  'project:listImages': true,
  'project:addImages': true,
  'image:get': true,
  'mask:get': true,
  'mask:save': true,
  'image:setSplit': true,
  'training:start': true,
  'engine:setBackend': true,
  'training:cancel': true,
  'training:status': true,
  'models:setActive': true,
  'models:delete': true,
  'proposals:run': true,
  'proposal:get': true,
  'proposal:discard': true,
  'classes:set': true,
  'classes:usage': true,
  'classes:delete': true,
} satisfies Record<Channel, true>;

const eventSet = {
  'project:changed': true,
  'project:imagesChanged': true,
  'app:engine': true,
  'training:progress': true,
  'proposals:changed': true,
} satisfies Record<EventName, true>;

export const CHANNELS = Object.keys(channelSet) as Channel[];
export const EVENT_NAMES = Object.keys(eventSet) as EventName[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(channelSet, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(eventSet, value);
}

/** Builds the per-domain API object over any `invoke` function; both transports use it. */
export function buildApi(
  invoke: (channel: Channel, args: unknown) => Promise<Result<unknown>>,
): SkipsegApi {
  const api: Record<string, Record<string, (args: unknown) => Promise<Result<unknown>>>> = {};
  for (const channel of CHANNELS) {
    const [domain, method] = channel.split(':') as [string, string];
    api[domain] ??= {};
    api[domain][method] = (args: unknown) => invoke(channel, args ?? {});
  }
  return api as unknown as SkipsegApi;
}

/**
 * Images and thumbnails by id as URLs, for <img> tags: `skipseg-media://<kind>/<id>` in
 * Electron (a custom protocol), `/media/<kind>/<id>` in web mode. Never a file path.
 */
export const MEDIA_SCHEME = 'skipseg-media';
export const MEDIA_KINDS: readonly MediaKind[] = ['image', 'thumbnail'];

/**
 * The IPC contract: one map of request channels to argument schema and result type, and
 * one map of events pushed from main. The main-process handlers, the preload's per-domain
 * methods and the web mode's transport are all typed from these maps.
 *
 * Binary payloads (masks) are `Uint8Array`s: structured clone carries them over Electron
 * IPC and the web transport frames them as binary (see wireCodec.ts), never as JSON arrays.
 */
import { z } from 'zod';
import type { Result } from './errors';
import type { ClassDef, LabelStatus, Split } from './project';
import { IMAGE_ID_PATTERN, MAX_CLASS_ID, NOT_LABELLED, classSchema } from './project';
import { isChannel } from './channels';

export { CHANNELS, EVENT_NAMES, MEDIA_KINDS, MEDIA_SCHEME, buildApi, isEventName } from './channels';

const imageId = z.string().regex(IMAGE_ID_PATTERN, 'an image id');
const dirPath = z.string().min(1).max(4096);
const classId = z.number().int().min(1).max(MAX_CLASS_ID);

export interface ProjectSummary {
  /** Absolute path of the project folder on the machine running the main process. */
  dir: string;
  name: string;
  classes: ClassDef[];
  imageCount: number;
  architecture: string;
}

export interface ImageSummary {
  id: string;
  name: string;
  width: number;
  height: number;
  channels: number;
  bitDepth: 8 | 16;
  split: Split;
  status: LabelStatus;
}

export interface MaskData {
  id: string;
  width: number;
  height: number;
  /** width*height class ids, row-major; 255 = not labelled. */
  data: Uint8Array;
  /** False when the image has no mask file yet: `data` is then all 255. */
  exists: boolean;
  /** Set when a mask file exists but could not be read; `data` is then all 255. */
  problem?: string;
}

/** An image as the renderer shows it: an 8-bit PNG (16-bit sources are stretched). */
export interface ViewableImage {
  id: string;
  width: number;
  height: number;
  png: Uint8Array;
}

export interface AppInfo {
  version: string;
  transport: 'electron' | 'web';
  /** The compute backend in use, or null until the engine has started. */
  backend: { id: string; why: string } | null;
}

export type MediaKind = 'image' | 'thumbnail';

/** Channel → argument schema (validated in main) and result type. */
export const requestSchemas = {
  'app:info': z.object({}).strict(),
  'project:current': z.object({}).strict(),
  'project:open': z.object({ dir: dirPath }).strict(),
  'project:create': z.object({ dir: dirPath, name: z.string().trim().min(1).max(128) }).strict(),
  'project:listImages': z.object({}).strict(),
  'project:addImages': z.object({ paths: z.array(dirPath).min(1).max(10_000) }).strict(),
  'image:get': z.object({ id: imageId }).strict(),
  'mask:get': z.object({ id: imageId }).strict(),
  'mask:save': z
    .object({
      id: imageId,
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      data: z.instanceof(Uint8Array),
    })
    .strict(),
  'classes:set': z.object({ classes: z.array(classSchema).max(MAX_CLASS_ID) }).strict(),
  'classes:usage': z.object({ id: classId }).strict(),
  'classes:delete': z
    .object({ id: classId, replaceWith: z.number().int().min(0).max(NOT_LABELLED) })
    .strict(),
} as const;

export interface RequestResults {
  'app:info': AppInfo;
  'project:current': ProjectSummary | null;
  'project:open': ProjectSummary;
  'project:create': ProjectSummary;
  'project:listImages': ImageSummary[];
  'project:addImages': { added: ImageSummary[]; skipped: { path: string; reason: string }[] };
  'image:get': ViewableImage;
  'mask:get': MaskData;
  'mask:save': { status: LabelStatus };
  'classes:set': ProjectSummary;
  /** Ids of the images whose saved mask uses the class. */
  'classes:usage': { imageIds: string[] };
  /** The summary without the class, and the images whose masks were rewritten. */
  'classes:delete': { project: ProjectSummary; changedImageIds: string[] };
}

export type Channel = keyof typeof requestSchemas & keyof RequestResults;
export type RequestArgs<C extends Channel> = z.input<(typeof requestSchemas)[C]>;
export type RequestResult<C extends Channel> = RequestResults[C];


/** Events pushed from main to the renderer. */
export interface EventPayloads {
  'project:changed': { project: ProjectSummary | null };
  'project:imagesChanged': { images: ImageSummary[] };
  'app:backend': { id: string; why: string };
}
export type EventName = keyof EventPayloads;

type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
type MethodOf<C extends string> = C extends `${string}:${infer M}` ? M : never;

/** `window.skipseg`-shaped API: `api.project.open({ dir })`, one object per domain. */
export type SkipsegApi = {
  [D in DomainOf<Channel>]: {
    [C in Channel as C extends `${D}:${string}` ? MethodOf<C> : never]: (
      args: RequestArgs<C>,
    ) => Promise<Result<RequestResult<C>>>;
  };
};

/** What the preload puts on `window.skipseg`: the per-domain API plus event subscription. */
export type SkipsegBridge = SkipsegApi & {
  /** Calls `listener` for every event pushed from main; returns the unsubscribe function. */
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
};

/** Validates a payload for `channel`; an unknown channel or a bad field is a readable error. */
export function validateRequest(
  channel: string,
  args: unknown,
): { ok: true; channel: Channel; args: unknown } | { ok: false; message: string } {
  if (!isChannel(channel)) {
    return { ok: false, message: `unknown channel "${channel}"` };
  }
  const parsed = requestSchemas[channel as Channel].safeParse(args ?? {});
  if (parsed.success) return { ok: true, channel: channel as Channel, args: parsed.data };
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
  return { ok: false, message: `${channel}: ${problems.join('; ')}` };
}

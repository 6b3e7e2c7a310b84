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
import type { ClassDef, LabelStatus, ModelEntry, Split } from './project';
import { ARCH_IDS, BACKEND_IDS, type BackendId, type BackendReport } from './engineProtocol';
import { IMAGE_ID_PATTERN, MAX_CLASS_ID, NOT_LABELLED, classSchema } from './project';
import { isChannel } from './channels';

export {
  CHANNELS,
  EVENT_NAMES,
  MEDIA_KINDS,
  MEDIA_SCHEME,
  buildApi,
  isEventName,
} from './channels';

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
  /** Trained models, oldest first. */
  models: ModelEntry[];
  /** The model proposals come from; null before the first fine-tune. */
  activeModelId: string | null;
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
  /** The active model's proposal for the image, if there is one. */
  proposal: { modelId: string; confidence: number; uncertainShare: number } | null;
}

/** A fine-tune as the renderer follows it; pushed as `training:progress` events. */
export interface TrainingStatus {
  phase: 'preparing' | 'training' | 'proposing' | 'done' | 'failed' | 'cancelled';
  arch: string;
  /** The compute backend, once the engine has said. */
  backend: string | null;
  /** The time budget in seconds. */
  seconds: number;
  elapsedSeconds: number;
  etaSeconds: number | null;
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  trainImages: number;
  valImages: number;
  /** Training loss as [elapsed seconds, loss], thinned to at most a few hundred points. */
  loss: [number, number][];
  /** Validation mean IoU after each epoch, as [epoch, mIoU]. */
  valIou: [number, number][];
  /** The model saved by this run (its best checkpoint), once there is one. */
  modelId: string | null;
  /** Once proposing: images with a proposal so far, of how many. */
  proposed: { done: number; total: number } | null;
  /** Why it failed, or a one-line summary when done. */
  message: string | null;
}

/** A model's proposal for one image: class ids over the whole image. */
export interface ProposalData {
  id: string;
  width: number;
  height: number;
  /** width*height class ids, row-major (0 = background). */
  data: Uint8Array;
  modelId: string;
  confidence: number;
  uncertainShare: number;
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

/**
 * The engine as the window shows it: starting, running on a backend (with why each faster
 * one was passed over), failed to start, or stopped (crashed; it restarts on the next job).
 */
export type EngineState = (
  | { state: 'starting' }
  | { state: 'running'; backend: BackendReport }
  | { state: 'failed'; why: string }
  | { state: 'stopped'; why: string }
) & {
  /** The backend asked for (settings, SKIPSEG_BACKEND); null: the fastest that works. */
  wanted: BackendId | null;
};

export interface AppInfo {
  version: string;
  transport: 'electron' | 'web';
  engine: EngineState;
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
  'image:setSplit': z
    .object({ ids: z.array(imageId).min(1).max(100_000), split: z.enum(['train', 'val']) })
    .strict(),
  'training:start': z
    .object({
      /** Time budget; null or absent: chosen from the data and the backend's speed. */
      seconds: z
        .number()
        .int()
        .min(5)
        .max(24 * 3600)
        .nullable()
        .optional(),
      arch: z.enum(ARCH_IDS).optional(),
    })
    .strict(),
  /** Restarts the engine on this backend; null: the fastest that works. */
  'engine:setBackend': z.object({ backend: z.enum(BACKEND_IDS).nullable() }).strict(),
  'training:cancel': z.object({}).strict(),
  'training:status': z.object({}).strict(),
  'models:setActive': z.object({ id: imageId }).strict(),
  'models:delete': z.object({ id: imageId }).strict(),
  /** Proposals from the active model for these images; absent: every not fully labelled one. */
  'proposals:run': z.object({ ids: z.array(imageId).max(100_000).optional() }).strict(),
  'proposal:get': z.object({ id: imageId }).strict(),
  'proposal:discard': z.object({ id: imageId }).strict(),
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
  'image:setSplit': ImageSummary[];
  'training:start': TrainingStatus;
  'engine:setBackend': EngineState;
  'training:cancel': { wasRunning: boolean };
  /** The running or last fine-tune of this session; null if none. */
  'training:status': TrainingStatus | null;
  'models:setActive': ProjectSummary;
  'models:delete': ProjectSummary;
  /** How many images were queued; proposals arrive as `proposals:changed` events. */
  'proposals:run': { queued: number };
  'proposal:get': ProposalData | null;
  'proposal:discard': Record<string, never>;
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
  'app:engine': EngineState;
  'training:progress': TrainingStatus;
  /** These images' proposals were written or removed. */
  'proposals:changed': { ids: string[] };
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
  const problems = parsed.error.issues.map(
    (i) => `${i.path.join('.') || '(payload)'}: ${i.message}`,
  );
  return { ok: false, message: `${channel}: ${problems.join('; ')}` };
}

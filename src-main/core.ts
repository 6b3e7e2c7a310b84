/**
 * The app's main-side core under plain Node: the open project, the request handlers and the
 * event hub. Both transports (Electron IPC and the web mode) call `dispatch` and `media` and
 * subscribe to events; neither holds any logic of its own.
 */
import { describeBackend } from '../shared/engineProtocol';
import { AppError, fail, ok, toErrorInfo, type Result } from '../shared/errors';
import {
  validateRequest,
  type AppInfo,
  type EngineState,
  type Channel,
  type EventName,
  type EventPayloads,
  type MediaKind,
  type RequestArgs,
  type RequestResult,
} from '../shared/ipc';
import type { FineTuneHost, EngineHandle } from './fineTune/host';
import { FineTuneError, FineTuner, type TrainOverrides } from './fineTune/FineTuner';
import { renderThumbnail, renderViewable } from './imageio';
import { createLogger } from './log';
import { Project } from './project/project';

const log = createLogger('core');

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
const MEDIA_CACHE_ENTRIES = 48;

type Handlers = { [C in Channel]: (args: RequestArgs<C>) => Promise<RequestResult<C>> };
type Listener = <E extends EventName>(name: E, payload: EventPayloads[E]) => void;

export interface CoreOptions {
  version: string;
  transport: AppInfo['transport'];
  /** The engine process; without one, fine-tunes and proposals are refused. */
  engine?: EngineHandle;
  /** Engine-side settings for fine-tunes (tests train tiny models with them). */
  trainOverrides?: TrainOverrides;
}

export class NoProjectError extends AppError<'NO_PROJECT'> {
  constructor() {
    super('NO_PROJECT', 'no project is open; open or create one first');
  }
}

export class Core {
  private project: Project | null = null;
  private readonly listeners = new Set<Listener>();
  /** Viewable renderings by `kind/id`; cleared when the project changes. */
  private readonly mediaCache = new Map<string, Promise<Buffer>>();
  private engine: EngineState;
  private readonly fineTuner: FineTuner;

  constructor(private readonly options: CoreOptions) {
    const host: FineTuneHost = {
      engine: options.engine ?? null,
      currentProject: () => this.project,
      emit: (name, payload) => this.emit(name, payload),
    };
    this.fineTuner = new FineTuner(host, options.trainOverrides);
    this.engine = { state: 'starting', wanted: options.engine?.wanted ?? null };
  }

  private readonly handlers: Handlers = {
    'app:info': async () => ({
      version: this.options.version,
      transport: this.options.transport,
      engine: this.engine,
    }),
    'project:current': async () => this.project?.summary ?? null,
    'project:open': async ({ dir }) => this.setProject(await Project.open(dir)),
    'project:create': async ({ dir, name }) => this.setProject(await Project.create(dir, name)),
    'project:listImages': async () => this.requireProject().listImages(),
    'project:addImages': async ({ paths }) => {
      const project = this.requireProject();
      const result = await project.addImages(paths);
      if (result.added.length > 0) {
        this.emit('project:imagesChanged', { images: project.listImages() });
        this.emit('project:changed', { project: project.summary });
      }
      return result;
    },
    'image:get': async ({ id }) => {
      const project = this.requireProject();
      const { width, height } = project.image(id);
      const png = await this.media('image', id);
      return { id, width, height, png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength) };
    },
    'mask:get': async ({ id }) => this.requireProject().getMask(id),
    'mask:save': async ({ id, width, height, data }) => {
      const project = this.requireProject();
      const before = project.image(id).status;
      const status = await project.saveMask(id, width, height, data);
      // An image that gains labels is placed in training or validation right away, so the
      // user sees (and can change) where it goes before the first fine-tune.
      const placed = status !== before ? await project.assignSplits() : [];
      if (status !== before || placed.length > 0) {
        this.emit('project:imagesChanged', { images: project.listImages() });
      }
      return { status };
    },
    'image:setSplit': async ({ ids, split }) => {
      const project = this.requireProject();
      await project.setSplit(ids, split);
      const images = project.listImages();
      this.emit('project:imagesChanged', { images });
      return images;
    },
    'training:start': async (args) => this.fineTuner.start(this.requireProject(), args),
    'engine:setBackend': async ({ backend }) => {
      const engine = this.options.engine;
      if (!engine?.restart) {
        throw new AppError('NO_ENGINE', 'the compute engine is not running here');
      }
      if (this.fineTuner.isEngineBusy) {
        const why = 'a fine-tune or proposals are running; change the backend when they end';
        throw new AppError('ENGINE_BUSY', why);
      }
      this.setEngine({ state: 'starting' }, backend);
      try {
        // The engine's lifecycle event says 'running' once it is up.
        await engine.restart(backend);
      } catch (err) {
        this.setEngine({ state: 'failed', why: err instanceof Error ? err.message : String(err) });
      }
      return this.engine;
    },
    'training:cancel': async () => ({ wasRunning: this.fineTuner.cancel() }),
    'training:status': async () => this.fineTuner.status,
    'models:setActive': async ({ id }) => {
      const project = this.requireProject();
      // Only the active model's proposals show: those of the old and the new one change.
      const before = project.proposals.shownIds();
      await project.models.setActive(id);
      return this.modelsChanged(project, [
        ...new Set([...before, ...project.proposals.shownIds()]),
      ]);
    },
    'models:delete': async ({ id }) => {
      const project = this.requireProject();
      if (this.fineTuner.isUsing(id)) {
        const why = `the running fine-tune continues from ${id}; delete it when it has finished`;
        throw new FineTuneError('TRAINING_RUNNING', why);
      }
      const orphans = await project.models.delete(id);
      return this.modelsChanged(project, orphans);
    },
    'proposals:run': async ({ ids }) => this.fineTuner.propose(this.requireProject(), ids),
    'proposal:get': async ({ id }) => this.requireProject().proposals.get(id),
    'proposal:discard': async ({ id }) => {
      const project = this.requireProject();
      if (await project.proposals.discard(id)) {
        this.emit('proposals:changed', { ids: [id] });
        this.emit('project:imagesChanged', { images: project.listImages() });
      }
      return {};
    },
    'classes:set': async ({ classes }) => {
      const project = this.requireProject();
      await project.setClasses(classes);
      this.emit('project:changed', { project: project.summary });
      return project.summary;
    },
    'classes:usage': async ({ id }) => ({ imageIds: await this.requireProject().classUsage(id) }),
    'classes:delete': async ({ id, replaceWith }) => {
      const project = this.requireProject();
      const changedImageIds = await project.deleteClass(id, replaceWith);
      this.emit('project:changed', { project: project.summary });
      if (changedImageIds.length > 0) {
        this.emit('project:imagesChanged', { images: project.listImages() });
      }
      return { project: project.summary, changedImageIds };
    },
  };

  /** Validates and runs one request; expected failures come back as `{ ok: false }`. */
  async dispatch(channel: string, args: unknown): Promise<Result<unknown>> {
    const checked = validateRequest(channel, args);
    if (!checked.ok) return fail('BAD_REQUEST', checked.message);
    const handler = this.handlers[checked.channel] as (a: unknown) => Promise<unknown>;
    try {
      return ok(await handler(checked.args));
    } catch (err) {
      if (!(err instanceof AppError)) log.error(`${channel} failed`, err);
      const info = toErrorInfo(err);
      return fail(info.code, info.message);
    }
  }

  /** A PNG of an image or its thumbnail, by id only; throws AppError for unknown ids. */
  async media(kind: MediaKind, id: string): Promise<Buffer> {
    const project = this.requireProject();
    const key = `${kind}/${id}`;
    let pending = this.mediaCache.get(key);
    if (!pending) {
      pending =
        kind === 'image'
          ? project.imagePath(id).then(renderViewable)
          : this.media('image', id).then((png) => renderThumbnail(png));
      this.mediaCache.set(key, pending);
      if (this.mediaCache.size > MEDIA_CACHE_ENTRIES) {
        this.mediaCache.delete(this.mediaCache.keys().next().value as string);
      }
      pending.catch(() => this.mediaCache.delete(key));
    }
    return pending;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners) listener(name, payload);
  }

  /**
   * Starts the engine process and tells the window which backend it runs on and why each
   * faster one was passed over, or why it did not start.
   */
  startEngine(): void {
    const engine = this.options.engine;
    if (!engine) return;
    // After a crash the engine restarts with the next job, maybe on another backend.
    engine.onLifecycle?.((event) => {
      if (event.kind === 'started') this.setEngine({ state: 'running', backend: event.backend });
      else this.setEngine({ state: 'stopped', why: event.why });
    });
    engine.start().then(
      // 'running' comes from the lifecycle event, before this.
      (backend) => log.info(`backend: ${backend.id} (${describeBackend(backend)})`),
      (err: unknown) => {
        const why = err instanceof Error ? err.message : String(err);
        log.warn(`the engine did not start: ${why}`);
        this.setEngine({ state: 'failed', why });
      },
    );
  }

  /** A new engine state, for the backend asked for (unchanged unless given). */
  private setEngine(
    state: DistributiveOmit<EngineState, 'wanted'>,
    wanted = this.engine.wanted,
  ): void {
    this.engine = { ...state, wanted };
    this.emit('app:engine', this.engine);
  }

  get currentProject(): Project | null {
    return this.project;
  }

  private setProject(project: Project) {
    this.project = project;
    this.mediaCache.clear();
    this.emit('project:changed', { project: project.summary });
    return project.summary;
  }

  /** After the active model changed or a model went: these images show other proposals. */
  private modelsChanged(project: Project, changedProposals: string[]) {
    const summary = project.summary;
    this.emit('project:changed', { project: summary });
    this.emit('project:imagesChanged', { images: project.listImages() });
    if (changedProposals.length > 0) this.emit('proposals:changed', { ids: changedProposals });
    return summary;
  }

  private requireProject(): Project {
    if (!this.project) throw new NoProjectError();
    return this.project;
  }
}

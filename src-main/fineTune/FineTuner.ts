/**
 * One-click fine-tune: trains on the project's labelled images in the engine process,
 * relays progress as TrainingStatus events, lists the model it saves as the active one, and
 * has it propose masks for every image not fully labelled. One run at a time; everything
 * here is asynchronous and the compute runs elsewhere, so the editor stays usable.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import {
  ARCH_IDS,
  type ArchName,
  type TrainProgress,
  type TrainResult,
  type TrainSpec,
} from '../../shared/engineProtocol';
import type { TrainingStatus } from '../../shared/ipc';
import { MODEL_META_FILE } from '../../shared/modelMeta';
import type { ModelEntry } from '../../shared/project';
import { createLogger } from '../log';
import { removeModelFolder } from '../project/modelFolders';
import type { Project } from '../project/project';
import type { FineTuneHost } from './host';
import { ProposalError, ProposalRunner } from './ProposalRunner';
import { ThinnedCurve } from './thinnedCurve';
import { Throttle } from './throttle';
import { chooseSeconds } from './trainBudget';
import { collectTrainingData, type TrainingData } from './trainingData';

const log = createLogger('fine-tune');

/** Progress events come at most this often; phase changes go at once. */
const PROGRESS_INTERVAL_MS = 250;
/** Points of each curve (loss per step, validation IoU per epoch) sent at most. */
const MAX_CURVE_POINTS = 300;

/** Engine-side settings a fine-tune does not expose; tests shrink the model with them. */
export type TrainOverrides = Partial<
  Pick<TrainSpec, 'base' | 'depth' | 'batch' | 'tile' | 'seed' | 'learningRate'>
>;

const DEFAULTS: Required<TrainOverrides> = {
  base: 16,
  depth: 4,
  batch: null,
  tile: null,
  seed: 1,
  learningRate: 3e-3,
};

export type FineTuneErrorCode =
  'TRAINING_RUNNING' | 'NO_LABELS' | 'NO_TRAINING_IMAGES' | 'NO_ENGINE' | 'BAD_ARCH';

export class FineTuneError extends AppError<FineTuneErrorCode> {}

export interface FineTuneRequest {
  /** Time budget; null or absent: {@link chooseSeconds} from the data and the backend. */
  seconds?: number | null;
  /** Default: the project's architecture. */
  arch?: ArchName;
}

interface Run {
  project: Project;
  arch: ArchName;
  modelId: string;
  /** The model this run continues from, once chosen. */
  initId: string | null;
  /** The train job, while the engine has it. */
  jobId: number | null;
  isCancelRequested: boolean;
  isRegistered: boolean;
  loss: ThinnedCurve;
  valIou: ThinnedCurve;
  throttle: Throttle;
}

export class FineTuner {
  private last: TrainingStatus | null = null;
  private run: Run | null = null;
  private readonly proposals: ProposalRunner;

  constructor(
    private readonly host: FineTuneHost,
    private readonly overrides: TrainOverrides = {},
  ) {
    this.proposals = new ProposalRunner(host);
  }

  /** The running or last fine-tune of this session; null before the first. */
  get status(): TrainingStatus | null {
    return this.last && this.run ? this.snapshot(this.run) : this.last;
  }

  /** True from start until the run is done, failed or cancelled (proposing included). */
  /** Whether the engine is at work for a fine-tune or for proposals. */
  get isEngineBusy(): boolean {
    return this.run !== null || this.proposals.isRunning;
  }

  get isActive(): boolean {
    return this.run !== null;
  }

  /** Whether the running fine-tune continues from model `id` (it must not go meanwhile). */
  isUsing(id: string): boolean {
    return this.run?.initId === id;
  }

  /**
   * Starts a fine-tune on `project` and resolves with its first status ('preparing') while
   * it goes on in the background. Refuses a second run, a project with nothing labelled, and
   * one whose labelled images are all in validation. Stops on-demand proposals: the new
   * model proposes for every image when it is done.
   */
  async start(project: Project, request: FineTuneRequest = {}): Promise<TrainingStatus> {
    if (this.run) {
      throw new FineTuneError(
        'TRAINING_RUNNING',
        'a fine-tune is already running; wait for it or cancel it',
      );
    }
    const engine = this.host.engine;
    if (!engine) {
      const why = 'the compute engine is not running here, so SkipSeg cannot fine-tune';
      throw new FineTuneError('NO_ENGINE', why);
    }
    const arch = request.arch ?? archOf(project.architecture);
    const run: Run = {
      project,
      arch,
      modelId: project.models.newId(arch),
      initId: null,
      jobId: null,
      isCancelRequested: false,
      isRegistered: false,
      loss: new ThinnedCurve(MAX_CURVE_POINTS),
      valIou: new ThinnedCurve(MAX_CURVE_POINTS),
      throttle: new Throttle(() => this.send(), PROGRESS_INTERVAL_MS),
    };
    // Claimed before the first await, so a second click cannot slip in meanwhile.
    this.run = run;
    let data: TrainingData;
    try {
      data = await this.prepareData(project);
    } catch (err) {
      this.run = null;
      throw err;
    }
    this.proposals.cancelAll();
    this.last = {
      phase: 'preparing',
      arch,
      backend: null,
      seconds: request.seconds ?? chooseSeconds(data.pixels, 'wasm'),
      elapsedSeconds: 0,
      etaSeconds: null,
      epoch: 0,
      step: 0,
      stepsPerEpoch: 0,
      trainImages: data.train.length,
      valImages: data.val.length,
      loss: [],
      valIou: [],
      modelId: null,
      proposed: null,
      message: null,
    };
    run.throttle.flush();
    void this.execute(run, data, request.seconds ?? null).catch((err: unknown) => {
      log.error('the fine-tune stopped unexpectedly', err);
      this.finish(run, 'failed', err instanceof Error ? err.message : String(err));
    });
    return this.snapshot(run);
  }

  /** Asks the running fine-tune to stop; it keeps its best checkpoint. False if none runs. */
  cancel(): boolean {
    const run = this.run;
    if (!run) return false;
    run.isCancelRequested = true;
    if (run.jobId !== null) this.host.engine?.cancel(run.jobId);
    this.proposals.cancelAll();
    return true;
  }

  /**
   * Proposals from the active model for `ids` (default: every image not fully labelled),
   * on demand. Refused while a fine-tune runs: its model proposes for all when it ends.
   */
  async propose(project: Project, ids?: readonly string[]): Promise<{ queued: number }> {
    if (this.run) {
      throw new ProposalError(
        'ENGINE_BUSY',
        'a fine-tune is running; its model proposes for each image not fully labelled when it ends',
      );
    }
    const { queued } = await this.proposals.queue(project, ids);
    return { queued };
  }

  private async prepareData(project: Project): Promise<TrainingData> {
    const placed = await project.assignSplits();
    if (placed.length > 0 && this.host.currentProject() === project) {
      this.host.emit('project:imagesChanged', { images: project.listImages() });
    }
    const data = await collectTrainingData(project);
    if (data.train.length + data.val.length === 0) {
      throw new FineTuneError(
        'NO_LABELS',
        'nothing is labelled yet: paint some pixels on at least one image, then fine-tune',
      );
    }
    if (data.train.length === 0) {
      throw new FineTuneError(
        'NO_TRAINING_IMAGES',
        'every labelled image is in validation: move at least one to training, then fine-tune',
      );
    }
    return data;
  }

  private async execute(run: Run, data: TrainingData, seconds: number | null): Promise<void> {
    const engine = this.host.engine!;
    const { project, modelId, arch } = run;
    try {
      const backend = await engine.start();
      const budget = seconds ?? chooseSeconds(data.pixels, backend.id);
      this.update(run, { backend: backend.id, seconds: budget });
      if (run.isCancelRequested)
        return this.finish(run, 'cancelled', 'cancelled before training began');

      const active = project.models.active;
      const canContinue = active?.arch === arch && active.classes === data.classes;
      run.initId = canContinue ? active.id : null;
      const spec: TrainSpec = {
        ...DEFAULTS,
        ...this.overrides,
        train: { pairs: data.train },
        val: { pairs: data.val },
        classes: data.classes,
        arch,
        seconds: budget,
        epochs: null,
        out: project.models.dir(modelId),
        init: canContinue ? project.models.dir(active.id) : null,
      };
      log.info(
        `fine-tuning ${arch} on ${data.train.length} training and ${data.val.length} validation ` +
          `images for ${budget} s on ${backend.id}` +
          (run.initId ? `, continuing from ${run.initId}` : ''),
      );
      const job = await engine.run({ kind: 'train', spec }, (p) => this.onProgress(run, p));
      run.jobId = job.id;
      if (run.isCancelRequested) engine.cancel(job.id);
      this.update(run, { phase: 'training' });
      const done = await job.result;
      run.jobId = null;
      if (done.kind !== 'train') throw new Error(`a train job answered with a ${done.kind} result`);
      await this.afterTraining(run, data, done.result);
    } catch (err) {
      if (!run.isRegistered) await removeModelFolder(project.dir, modelId).catch(() => undefined);
      this.finish(run, 'failed', err instanceof Error ? err.message : String(err));
    }
  }

  /** Lists the saved model as active, then has it propose, unless the run was cancelled. */
  private async afterTraining(run: Run, data: TrainingData, result: TrainResult): Promise<void> {
    const isCancelled = result.cancelled || run.isCancelRequested;
    const metaFile = join(run.project.models.dir(run.modelId), MODEL_META_FILE);
    const saved = await stat(metaFile).catch(() => null);
    if (!saved) {
      await removeModelFolder(run.project.dir, run.modelId);
      const why = isCancelled ? 'cancelled before the first checkpoint' : 'no checkpoint was saved';
      return this.finish(run, isCancelled ? 'cancelled' : 'failed', why);
    }
    const model = await this.register(run, data, result);
    const line = describeModel(model);
    const project = this.liveProject(run);
    if (isCancelled)
      return this.finish(run, 'cancelled', `cancelled; kept the best checkpoint: ${line}`);

    this.update(run, { phase: 'proposing', etaSeconds: null });
    const started = performance.now();
    const { queued, done } = await this.proposals.queue(project, undefined, (landed, total) => {
      // Each image takes about as long as the last ones: the rest at the rate so far.
      const perImage = (performance.now() - started) / 1000 / landed;
      this.last = {
        ...this.last!,
        proposed: { done: landed, total },
        etaSeconds: Math.round(perImage * (total - landed)),
      };
      run.throttle.request();
    });
    this.update(run, { proposed: { done: 0, total: queued } });
    const outcome = await done;
    if (outcome.error)
      return this.finish(run, 'failed', `${line}; proposals stopped: ${outcome.error}`);
    const proposals = `proposals for ${outcome.proposed} image${outcome.proposed === 1 ? '' : 's'}`;
    if (outcome.cancelled)
      return this.finish(run, 'cancelled', `${line}; cancelled after ${proposals}`);
    this.finish(run, 'done', `${line}; ${proposals}`);
  }

  private async register(run: Run, data: TrainingData, result: TrainResult): Promise<ModelEntry> {
    const best = result.best;
    const model: ModelEntry = {
      id: run.modelId,
      arch: run.arch,
      createdAt: new Date().toISOString(),
      trainImages: data.train.length,
      valImages: data.val.length,
      classes: data.classes,
      backend: result.backend,
      seconds: Math.round(result.seconds * 10) / 10,
      epochs: result.epochs,
      val: best && {
        miou: best.miou,
        pixelAccuracy: best.pixelAccuracy,
        boundaryF1: best.boundaryF1,
      },
    };
    const project = this.liveProject(run);
    const shownBefore = project.proposals.shownIds();
    await project.models.add(model);
    run.isRegistered = true;
    this.update(run, { modelId: model.id });
    if (this.host.currentProject() === project) {
      this.host.emit('project:changed', { project: project.summary });
      // The active model changed, and with it which proposals the list and viewer show.
      this.host.emit('project:imagesChanged', { images: project.listImages() });
      if (shownBefore.length > 0) this.host.emit('proposals:changed', { ids: shownBefore });
    }
    return model;
  }

  /**
   * The instance to write the run's project through: the open one when it is the same
   * folder (re-opened during the run, its state is the newer), else the run's own.
   */
  private liveProject(run: Run): Project {
    const open = this.host.currentProject();
    return open && open.dir === run.project.dir ? open : run.project;
  }

  private onProgress(run: Run, p: TrainProgress): void {
    if (p.val) {
      if (p.val.miou !== null) run.valIou.add(p.epoch, p.val.miou);
    } else {
      run.loss.add(p.elapsedSeconds, p.loss);
    }
    const { epoch, step, stepsPerEpoch, elapsedSeconds, etaSeconds } = p;
    this.last = {
      ...this.last!,
      phase: 'training',
      epoch,
      step,
      stepsPerEpoch,
      elapsedSeconds,
      etaSeconds,
    };
    run.throttle.request();
  }

  private update(run: Run, patch: Partial<TrainingStatus>): void {
    if (this.run !== run) return;
    this.last = { ...this.last!, ...patch };
    run.throttle.flush();
  }

  private finish(run: Run, phase: TrainingStatus['phase'], message: string): void {
    if (this.run !== run) return;
    run.throttle.cancel();
    this.last = { ...this.snapshot(run), phase, message, etaSeconds: null };
    this.run = null;
    this.host.emit('training:progress', this.last);
    if (phase === 'failed') log.warn(`fine-tune failed: ${message}`);
    else log.info(`fine-tune ${phase}: ${message}`);
  }

  private send(): void {
    if (this.run) this.host.emit('training:progress', this.snapshot(this.run));
  }

  private snapshot(run: Run): TrainingStatus {
    return { ...this.last!, loss: run.loss.points(), valIou: run.valIou.points() };
  }
}

function archOf(name: string): ArchName {
  if ((ARCH_IDS as readonly string[]).includes(name)) return name as ArchName;
  throw new FineTuneError(
    'BAD_ARCH',
    `the project's architecture "${name}" is not one SkipSeg trains; ` +
      `choose one of ${ARCH_IDS.join(', ')}`,
  );
}

/** `unet-20261204-083000: 14 epochs in 61 s on wasm, val mIoU 0.812`. */
function describeModel(model: ModelEntry): string {
  const miou = model.val?.miou;
  const score =
    miou === null || miou === undefined ? 'no validation score' : `val mIoU ${miou.toFixed(3)}`;
  const epochs = `${model.epochs} epoch${model.epochs === 1 ? '' : 's'}`;
  return `${model.id}: ${epochs} in ${Math.round(model.seconds)} s on ${model.backend}, ${score}`;
}

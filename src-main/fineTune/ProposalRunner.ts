/**
 * Proposals from the active model, computed by the engine ('propose' jobs) and recorded in
 * the project as they land: each batch of landed images is written to project.json once and
 * announced with 'proposals:changed' and 'project:imagesChanged'.
 */
import { AppError } from '../../shared/errors';
import type { JobResult, ProposedImage } from '../../shared/engineProtocol';
import { createLogger } from '../log';
import type { Project } from '../project/project';
import type { FineTuneHost } from './host';
import { Throttle } from './throttle';

const log = createLogger('proposals');

/** How often landed proposals are recorded and announced, in milliseconds. */
const RECORD_INTERVAL_MS = 300;

export interface ProposeOutcome {
  /** Images whose proposal was written. */
  proposed: number;
  skipped: number;
  cancelled: boolean;
  /** Why the job stopped early (the engine died, say); null when it ran to its end. */
  error: string | null;
}

export class ProposalError extends AppError<'NO_MODEL' | 'ENGINE_BUSY' | 'NO_ENGINE'> {}

export class ProposalRunner {
  /** Engine job ids of the propose jobs not yet done. */
  private readonly jobs = new Set<number>();

  constructor(private readonly host: FineTuneHost) {}

  get isRunning(): boolean {
    return this.jobs.size > 0;
  }

  /**
   * Queues proposals from the project's active model for `ids` (default: every image),
   * skipping fully labelled images. Resolves once the job is sent, with how many images it
   * holds and a promise of the outcome (which never rejects: a failure is logged and counted).
   * `onLanded` hears each image's proposal land: how many so far, of how many.
   */
  async queue(
    project: Project,
    ids?: readonly string[],
    onLanded?: (landed: number, total: number) => void,
  ): Promise<{ queued: number; done: Promise<ProposeOutcome> }> {
    const engine = this.host.engine;
    if (!engine) {
      throw new ProposalError(
        'NO_ENGINE',
        'the compute engine is not running here, so there are no proposals',
      );
    }
    const model = project.models.active;
    if (!model) {
      throw new ProposalError(
        'NO_MODEL',
        'there is no model yet: fine-tune first, then ask for proposals',
      );
    }
    const images = ids ? ids.map((id) => project.image(id)) : project.listImages();
    const wanted = images.filter((im) => im.status !== 'labelled');
    if (wanted.length === 0) {
      return {
        queued: 0,
        done: Promise.resolve({ proposed: 0, skipped: 0, cancelled: false, error: null }),
      };
    }

    const items = [];
    for (const im of wanted) {
      items.push({
        key: im.id,
        image: await project.imagePath(im.id),
        out: project.proposals.path(im.id),
      });
    }
    const landed: ProposedImage[] = [];
    let landedCount = 0;
    let recording = Promise.resolve();
    const throttle = new Throttle(() => {
      const batch = landed.splice(0);
      recording = recording.then(() => this.record(project, model.id, batch));
    }, RECORD_INTERVAL_MS);
    const job = await engine.run(
      { kind: 'propose', spec: { model: project.models.dir(model.id), items } },
      {
        onProposed: (item) => {
          landed.push(item);
          landedCount++;
          throttle.request();
          onLanded?.(landedCount, items.length);
        },
      },
    );
    this.jobs.add(job.id);
    const done = job.result
      .then(outcomeOf)
      .catch((err: unknown) => failed(err, landedCount, items.length))
      .then(async (outcome) => {
        throttle.flush();
        await recording;
        this.jobs.delete(job.id);
        return outcome;
      });
    log.info(`queued proposals from ${model.id} for ${items.length} images`);
    return { queued: items.length, done };
  }

  /** Stops every queued propose job after its current image. */
  cancelAll(): void {
    for (const id of this.jobs) this.host.engine?.cancel(id);
  }

  private async record(project: Project, modelId: string, batch: ProposedImage[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      const scores = batch.map(({ key, confidence, uncertainShare }) => ({
        id: key,
        confidence,
        uncertainShare,
      }));
      const ids = await project.proposals.record(modelId, scores);
      if (ids.length === 0 || this.host.currentProject() !== project) return;
      this.host.emit('proposals:changed', { ids });
      this.host.emit('project:imagesChanged', { images: project.listImages() });
    } catch (err) {
      log.error('could not record proposals', err);
    }
  }
}

function outcomeOf(result: JobResult): ProposeOutcome {
  if (result.kind !== 'propose')
    throw new Error(`a propose job answered with a ${result.kind} result`);
  const { proposed, skipped, cancelled } = result.result;
  for (const s of skipped) log.warn(`no proposal for ${s.key}: ${s.reason}`);
  return { proposed: proposed.length, skipped: skipped.length, cancelled, error: null };
}

function failed(err: unknown, landed: number, count: number): ProposeOutcome {
  const error = err instanceof Error ? err.message : String(err);
  log.warn(`proposals stopped after ${landed} of ${count} images: ${error}`);
  return { proposed: landed, skipped: count - landed, cancelled: false, error };
}

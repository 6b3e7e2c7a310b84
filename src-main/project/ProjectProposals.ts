/**
 * A project's proposals: per image, the PNG the engine wrote (`proposals/<id>.png`) and its
 * scores in project.json. Only the active model's proposal is shown; others are kept until
 * their model is deleted or a new proposal replaces them.
 */
import { join } from 'node:path';
import type { ProposalData } from '../../shared/ipc';
import type { ImageEntry } from '../../shared/project';
import { createLogger } from '../log';
import { ProjectError } from './projectError';
import type { ProjectState } from './projectState';
import { proposalFile, readProposalFile, removeProposalFile } from './proposalFiles';

const log = createLogger('project');

/** A proposal's scores for one image, as the engine measured them. */
export interface ProposalScores {
  id: string;
  confidence: number;
  uncertainShare: number;
}

/** An image's proposal if it shows: only the active model's do. */
export function shownProposal(
  entry: ImageEntry,
  activeModelId: string | null,
): ImageEntry['proposal'] {
  return entry.proposal?.modelId === activeModelId ? entry.proposal : null;
}

export class ProjectProposals {
  constructor(private readonly state: ProjectState) {}

  /** Where the engine writes image `id`'s proposal (the folder may not exist yet). */
  path(id: string): string {
    return join(this.state.dir, proposalFile(id));
  }

  /**
   * Records proposals the engine wrote for `modelId`. One whose image or model has gone
   * meanwhile is deleted instead. Returns the ids recorded.
   */
  async record(modelId: string, items: readonly ProposalScores[]): Promise<string[]> {
    const data = this.state.data();
    const isListed = data.models.some((m) => m.id === modelId);
    const createdAt = new Date().toISOString();
    const recorded: string[] = [];
    for (const { id, confidence, uncertainShare } of items) {
      const entry = data.images.find((im) => im.id === id);
      if (!entry || !isListed) {
        await removeProposalFile(this.state.dir, id);
        continue;
      }
      entry.proposal = { modelId, confidence, uncertainShare, createdAt };
      recorded.push(id);
    }
    if (recorded.length > 0) await this.state.save();
    return recorded;
  }

  /**
   * The active model's proposal for an image; null when it has none (one from another
   * model does not count) or its file is missing or unreadable.
   */
  async get(id: string): Promise<ProposalData | null> {
    const entry = this.image(id);
    const { width, height } = entry;
    const proposal = shownProposal(entry, this.state.data().activeModelId);
    if (!proposal) return null;
    try {
      const data = await readProposalFile(this.state.dir, id, width, height);
      const { modelId, confidence, uncertainShare } = proposal;
      return { id, width, height, data, modelId, confidence, uncertainShare };
    } catch (err) {
      log.warn(
        `proposal of ${id} is unreadable: ${err instanceof Error ? err.message : String(err)}`,
      );
      return null;
    }
  }

  /** The images whose proposal shows now: those from the active model. */
  shownIds(): string[] {
    const { images, activeModelId } = this.state.data();
    return images.flatMap((im) => (shownProposal(im, activeModelId) ? [im.id] : []));
  }

  /** Deletes an image's proposal, file and entry; false when it had none. */
  async discard(id: string): Promise<boolean> {
    const entry = this.image(id);
    await removeProposalFile(this.state.dir, id);
    if (!entry.proposal) return false;
    entry.proposal = null;
    await this.state.save();
    return true;
  }

  private image(id: string): ImageEntry {
    const entry = this.state.data().images.find((im) => im.id === id);
    if (!entry) throw new ProjectError('UNKNOWN_IMAGE', `no image "${id}" in this project`);
    return entry;
  }
}

/**
 * Merging a model's proposal into the user's mask, and ordering images for review. A
 * proposal only ever fills pixels that are not labelled (255): the user's labels win.
 */
import { NOT_LABELLED } from './project';

export interface MergeOptions {
  /** Take only this class from the proposal; absent: every class, background included. */
  classId?: number;
  /** Take only pixels where this is non-zero (a brushed region), same size as the mask. */
  region?: Uint8Array;
}

/**
 * The mask with the proposal accepted where the mask is not labelled (and the options
 * allow). Returns a new array and how many pixels it took; `mask` is left as it is.
 */
export function mergeProposal(
  mask: Uint8Array,
  proposal: Uint8Array,
  options: MergeOptions = {},
): { mask: Uint8Array; accepted: number } {
  if (proposal.length !== mask.length) {
    throw new RangeError(`proposal has ${proposal.length} pixels, the mask ${mask.length}`);
  }
  const { classId, region } = options;
  const out = mask.slice();
  let accepted = 0;
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== NOT_LABELLED) continue;
    const value = proposal[i]!;
    if (value === NOT_LABELLED) continue;
    if (classId !== undefined && value !== classId) continue;
    if (region && region[i] === 0) continue;
    out[i] = value;
    accepted++;
  }
  return { mask: out, accepted };
}

/** Pixels of the proposal that would still change the mask (its not-labelled pixels). */
export function pendingProposalPixels(mask: Uint8Array, proposal: Uint8Array): number {
  let pending = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === NOT_LABELLED && proposal[i] !== NOT_LABELLED) pending++;
  }
  return pending;
}

/**
 * Images in review order: those with a proposal, least confident first (ties by id, so the
 * order is stable), then those without one in their original order.
 */
export function orderByConfidence<
  T extends { id: string; proposal: { confidence: number } | null },
>(images: readonly T[]): T[] {
  const withProposal = images.filter((im) => im.proposal !== null);
  const without = images.filter((im) => im.proposal === null);
  withProposal.sort(
    (a, b) => a.proposal!.confidence - b.proposal!.confidence || a.id.localeCompare(b.id),
  );
  return [...withProposal, ...without];
}

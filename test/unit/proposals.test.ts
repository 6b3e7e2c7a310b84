import { describe, expect, it } from 'vitest';
import { mergeProposal, orderByConfidence, pendingProposalPixels } from '../../shared/proposals';

// mask: two labelled pixels (1 and 0) and four not labelled; proposal covers all six.
const mask = Uint8Array.from([1, 255, 255, 0, 255, 255]);
const proposal = Uint8Array.from([2, 2, 0, 2, 1, 2]);

describe('mergeProposal', () => {
  it('fills only not-labelled pixels and never touches the user’s labels', () => {
    const { mask: merged, accepted } = mergeProposal(mask, proposal);
    expect([...merged]).toEqual([1, 2, 0, 0, 1, 2]);
    expect(accepted).toBe(4);
    expect([...mask]).toEqual([1, 255, 255, 0, 255, 255]);
  });

  it('accepts one class only', () => {
    const { mask: merged, accepted } = mergeProposal(mask, proposal, { classId: 2 });
    expect([...merged]).toEqual([1, 2, 255, 0, 255, 2]);
    expect(accepted).toBe(2);
  });

  it('accepts inside a brushed region only', () => {
    const region = Uint8Array.from([1, 1, 0, 1, 1, 0]);
    const { mask: merged } = mergeProposal(mask, proposal, { region });
    expect([...merged]).toEqual([1, 2, 255, 0, 1, 255]);
  });

  it('refuses a proposal of another size and counts what is pending', () => {
    expect(() => mergeProposal(mask, new Uint8Array(3))).toThrow(/3 pixels/);
    expect(pendingProposalPixels(mask, proposal)).toBe(4);
    expect(pendingProposalPixels(mergeProposal(mask, proposal).mask, proposal)).toBe(0);
  });
});

describe('orderByConfidence', () => {
  it('puts the least confident first, ties by id, images without a proposal last', () => {
    const images = [
      { id: 'a', proposal: null },
      { id: 'b', proposal: { confidence: 0.9 } },
      { id: 'c', proposal: { confidence: 0.6 } },
      { id: 'd', proposal: null },
      { id: 'e', proposal: { confidence: 0.6 } },
    ];
    expect(orderByConfidence(images).map((im) => im.id)).toEqual(['c', 'e', 'b', 'a', 'd']);
  });
});

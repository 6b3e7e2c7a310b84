import { useState } from 'react';
import type { ClassDef } from '../../shared/project';
import { getActiveEditing } from '../state/activeEditing';
import { useEditorStore } from '../state/editorStore';
import { useProjectStore } from '../state/projectStore';
import { isTrainingActive, useTrainingStore } from '../state/trainingStore';

const NO_CLASSES: readonly ClassDef[] = [];

/**
 * The model's proposal for the open image: how sure the model is, and ways to take it —
 * all of it, one class, by brushing (the accept brush), or reject it. Accepted pixels are
 * labels like any other, undoable and autosaved; labelled pixels are never touched.
 */
export function ProposalBar() {
  const proposal = useProjectStore((s) => s.proposal);
  const classes = useProjectStore((s) => s.project?.classes ?? NO_CLASSES);
  const discardProposal = useProjectStore((s) => s.discardProposal);
  const setTool = useEditorStore((s) => s.setTool);
  const [classId, setClassId] = useState('');
  const [lastAccepted, setLastAccepted] = useState<number | null>(null);
  if (!proposal) return <AskForProposal />;

  function accept(id?: number) {
    setLastAccepted(getActiveEditing()?.acceptProposal(id) ?? 0);
  }

  return (
    <div className="proposal-bar" role="region" aria-label="Proposal" data-testid="proposal-bar">
      <span className="proposal-title">
        Proposal · confidence {(proposal.confidence * 100).toFixed(0)}% ·{' '}
        {(proposal.uncertainShare * 100).toFixed(1)}% uncertain
      </span>
      <button type="button" onClick={() => accept()} data-testid="accept-all">
        Accept all
      </button>
      <select
        value={classId}
        aria-label="Accept one class"
        onChange={(e) => {
          setClassId('');
          if (e.target.value !== '') accept(Number(e.target.value));
        }}
      >
        <option value="">Accept one class…</option>
        <option value={0}>background</option>
        {classes.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => setTool('accept')} title="Accept brush (G)">
        Accept by brushing
      </button>
      <button type="button" onClick={() => void discardProposal()} data-testid="reject-proposal">
        Reject
      </button>
      {lastAccepted !== null && (
        <span className="proposal-note">
          {lastAccepted === 0 ? 'nothing left to accept' : `${lastAccepted} pixels accepted`}
        </span>
      )}
    </div>
  );
}

/** For an image without a proposal: ask the active model for one, when there is a model. */
function AskForProposal() {
  const image = useProjectStore((s) => s.images.find((im) => im.id === s.selectedImageId));
  const hasModel = useProjectStore((s) => (s.project?.activeModelId ?? null) !== null);
  const isBusy = useTrainingStore((s) => isTrainingActive(s.status));
  const runProposals = useTrainingStore((s) => s.runProposals);
  if (!image || !hasModel || image.status === 'labelled') return null;
  return (
    <div className="proposal-bar" role="region" aria-label="Proposal">
      <span className="muted">No proposal for this image yet.</span>
      <button
        type="button"
        disabled={isBusy}
        onClick={() => void runProposals([image.id])}
        data-testid="propose-one"
      >
        Propose labels for this image
      </button>
    </div>
  );
}

import type { ImageSummary } from '../../shared/ipc';
import { getTransport, request } from '../state/client';
import type { ListOrder, StatusFilter } from '../state/editorStore';
import { useEditorStore } from '../state/editorStore';
import { FILTER_WORDS, STATUS_WORDS, countByStatus, shownImages } from '../state/navigation';
import { useProjectStore } from '../state/projectStore';

const FILTERS: readonly StatusFilter[] = ['all', 'unlabelled', 'partial', 'labelled', 'proposal'];

/**
 * The sidebar: the project's images with thumbnails, label status, proposal confidence and
 * train/val split; filtered by status and optionally in review order (least confident first).
 */
export function ImageList() {
  const images = useProjectStore((s) => s.images);
  const selectedImageId = useProjectStore((s) => s.selectedImageId);
  const selectImage = useProjectStore((s) => s.selectImage);
  const filter = useEditorStore((s) => s.statusFilter);
  const setFilter = useEditorStore((s) => s.setStatusFilter);
  const order = useEditorStore((s) => s.listOrder);
  const setOrder = useEditorStore((s) => s.setListOrder);
  const counts = countByStatus(images);
  const shown = shownImages(images, filter, order);

  return (
    <nav className="image-nav" aria-label="Images">
      <div className="list-controls">
        <label className="list-filter">
          Show
          <select
            value={filter}
            onChange={(e) => setFilter(e.target.value as StatusFilter)}
            data-testid="status-filter"
          >
            {FILTERS.map((f) => (
              <option key={f} value={f}>
                {FILTER_WORDS[f]} ({counts[f]})
              </option>
            ))}
          </select>
        </label>
        <label className="list-filter">
          Order
          <select
            value={order}
            onChange={(e) => setOrder(e.target.value as ListOrder)}
            data-testid="list-order"
          >
            <option value="project">as imported</option>
            <option value="confidence">least confident first</option>
          </select>
        </label>
      </div>
      <ul className="image-list">
        {shown.map((image) => (
          <li key={image.id}>
            <ImageRow
              image={image}
              isSelected={image.id === selectedImageId}
              onSelect={() => void selectImage(image.id)}
            />
          </li>
        ))}
      </ul>
      {shown.length === 0 && filter !== 'all' && (
        <p className="list-empty">No images {FILTER_WORDS[filter]}.</p>
      )}
    </nav>
  );
}

interface ImageRowProps {
  image: ImageSummary;
  isSelected: boolean;
  onSelect: () => void;
}

/** A share in [0, 1] as "12.5%". */
function percent(share: number, digits: number): string {
  return `${(share * 100).toFixed(digits)}%`;
}

function ImageRow({ image, isSelected, onSelect }: ImageRowProps) {
  return (
    <div className="image-row-wrap">
      <button
        type="button"
        className="image-row"
        data-testid="image-row"
        data-image-id={image.id}
        data-status={image.status}
        data-confidence={image.proposal?.confidence}
        aria-current={isSelected ? 'true' : undefined}
        onClick={onSelect}
      >
        <img
          className="thumbnail"
          src={getTransport().mediaUrl('thumbnail', image.id)}
          alt=""
          loading="lazy"
          decoding="async"
        />
        <span className="image-name" title={image.name}>
          {image.name}
        </span>
        <span className="badges">
          <span className={`badge badge-${image.status}`}>{STATUS_WORDS[image.status]}</span>
          {image.proposal && (
            <span
              className="badge badge-proposal"
              title={`proposal: ${percent(image.proposal.uncertainShare, 1)} of pixels uncertain`}
            >
              {percent(image.proposal.confidence, 0)}
            </span>
          )}
        </span>
      </button>
      {image.split !== 'unassigned' && <SplitToggle image={image} />}
    </div>
  );
}

/** Moves a labelled image between training and validation data. */
function SplitToggle({ image }: { image: ImageSummary }) {
  const applyImages = useProjectStore((s) => s.applyImages);
  const other = image.split === 'train' ? 'val' : 'train';
  const usedFor = image.split === 'train' ? 'training' : 'validation';

  async function toggle() {
    const images = await request('Moving the image', (api) =>
      api.image.setSplit({ ids: [image.id], split: other }),
    );
    if (images) applyImages(images);
  }

  return (
    <button
      type="button"
      className={`split split-${image.split}`}
      title={`Used for ${usedFor}; click to move to ${other}`}
      onClick={() => void toggle()}
      data-testid="split-toggle"
    >
      {image.split}
    </button>
  );
}

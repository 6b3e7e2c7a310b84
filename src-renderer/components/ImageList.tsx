import type { ImageSummary } from '../../shared/ipc';
import { getTransport } from '../state/client';
import type { StatusFilter } from '../state/editorStore';
import { useEditorStore } from '../state/editorStore';
import { STATUS_WORDS, countByStatus, filterImages } from '../state/navigation';
import { useProjectStore } from '../state/projectStore';

const FILTERS: readonly StatusFilter[] = ['all', 'unlabelled', 'partial', 'labelled'];

/** The sidebar: the project's images with thumbnails and label status, filtered by it. */
export function ImageList() {
  const images = useProjectStore((s) => s.images);
  const selectedImageId = useProjectStore((s) => s.selectedImageId);
  const selectImage = useProjectStore((s) => s.selectImage);
  const filter = useEditorStore((s) => s.statusFilter);
  const setFilter = useEditorStore((s) => s.setStatusFilter);
  const counts = countByStatus(images);
  const shown = filterImages(images, filter);

  return (
    <nav className="image-nav" aria-label="Images">
      <label className="list-filter">
        Show
        <select
          value={filter}
          onChange={(e) => setFilter(e.target.value as StatusFilter)}
          data-testid="status-filter"
        >
          {FILTERS.map((f) => (
            <option key={f} value={f}>
              {f === 'all' ? 'all images' : STATUS_WORDS[f]} ({counts[f]})
            </option>
          ))}
        </select>
      </label>
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
        <p className="list-empty">No {STATUS_WORDS[filter]} images.</p>
      )}
    </nav>
  );
}

interface ImageRowProps {
  image: ImageSummary;
  isSelected: boolean;
  onSelect: () => void;
}

function ImageRow({ image, isSelected, onSelect }: ImageRowProps) {
  return (
    <button
      type="button"
      className="image-row"
      data-testid="image-row"
      data-image-id={image.id}
      data-status={image.status}
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
      <span className={`badge badge-${image.status}`}>{STATUS_WORDS[image.status]}</span>
    </button>
  );
}

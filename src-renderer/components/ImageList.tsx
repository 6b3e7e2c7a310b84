import type { ImageSummary } from '../../shared/ipc';
import { getTransport } from '../state/client';
import { useProjectStore } from '../state/projectStore';

/** The sidebar: every image of the project with its thumbnail and label status. */
export function ImageList() {
  const images = useProjectStore((s) => s.images);
  const selectedImageId = useProjectStore((s) => s.selectedImageId);
  const selectImage = useProjectStore((s) => s.selectImage);

  return (
    <nav className="sidebar" aria-label="Images">
      <ul className="image-list">
        {images.map((image) => (
          <li key={image.id}>
            <ImageRow
              image={image}
              isSelected={image.id === selectedImageId}
              onSelect={() => void selectImage(image.id)}
            />
          </li>
        ))}
      </ul>
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
      <span className={`badge badge-${image.status}`}>{image.status}</span>
    </button>
  );
}

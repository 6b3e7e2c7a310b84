interface EmptyStateProps {
  title: string;
  detail?: string;
}

/** A centred message where content would be: loading, no project, no images. */
export function EmptyState({ title, detail }: EmptyStateProps) {
  return (
    <div className="empty-state" data-testid="empty-state">
      <p className="empty-state-title">{title}</p>
      {detail && <p className="empty-state-detail">{detail}</p>}
    </div>
  );
}

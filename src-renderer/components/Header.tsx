import { useProjectStore } from '../state/projectStore';

/** The project's name and its classes with their colours. */
export function Header() {
  const project = useProjectStore((s) => s.project);
  return (
    <header className="header">
      <span className="app-name">SkipSeg</span>
      <h1 className="project-name" data-testid="project-name">
        {project?.name ?? 'No project'}
      </h1>
      <ul className="class-legend" aria-label="Classes">
        {project?.classes.map((c) => (
          <li key={c.id} className="class-chip">
            <span className="class-swatch" style={{ background: c.color }} aria-hidden />
            {c.name}
          </li>
        ))}
      </ul>
    </header>
  );
}

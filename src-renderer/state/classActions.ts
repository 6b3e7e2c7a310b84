/**
 * Changing the project's classes from the palette. Main owns the list; each action sends
 * the whole new list (or a delete) and main pushes the updated project back.
 */
import { nextClassId } from '../../shared/classes';
import type { ClassDef } from '../../shared/project';
import { request } from './client';
import { useEditorStore } from './editorStore';
import { useProjectStore } from './projectStore';

/** Distinct colours for new classes, picked in order of what is not used yet. */
const CLASS_COLOURS = [
  '#ff3b30',
  '#34c759',
  '#0a84ff',
  '#ffcc00',
  '#bf5af2',
  '#64d2ff',
  '#ff9f0a',
  '#ff375f',
  '#30d158',
  '#5e5ce6',
  '#ac8e68',
  '#66d4cf',
];

function classes(): ClassDef[] {
  return useProjectStore.getState().project?.classes ?? [];
}

async function sendClasses(next: ClassDef[], what: string): Promise<boolean> {
  const summary = await request(what, (api) => api.classes.set({ classes: next }));
  if (summary) useProjectStore.getState().applyProject(summary);
  return summary !== null;
}

/** Adds a class with the lowest free id and an unused colour, and selects it. */
export async function addClass(): Promise<void> {
  const current = classes();
  const id = nextClassId(current);
  if (id === null) return;
  const used = new Set(current.map((c) => c.color.toLowerCase()));
  const color =
    CLASS_COLOURS.find((c) => !used.has(c)) ?? CLASS_COLOURS[id % CLASS_COLOURS.length]!;
  const next = [...current, { id, name: `class ${id}`, color }];
  if (await sendClasses(next, 'Adding a class')) useEditorStore.getState().setLabel(id);
}

export async function updateClass(id: number, change: Partial<Omit<ClassDef, 'id'>>) {
  const next = classes().map((c) => (c.id === id ? { ...c, ...change } : c));
  await sendClasses(next, 'Changing a class');
}

/** Images whose saved masks hold the class (the open one is flushed first by the caller). */
export async function classUsage(id: number): Promise<string[] | null> {
  const usage = await request('Checking where a class is used', (api) => api.classes.usage({ id }));
  return usage?.imageIds ?? null;
}

/**
 * Deletes a class; its pixels become `replaceWith` (0 background, 255 not labelled, or
 * another class id) in every saved mask.
 */
export async function deleteClass(id: number, replaceWith: number): Promise<string[] | null> {
  const result = await request('Deleting a class', (api) =>
    api.classes.delete({ id, replaceWith }),
  );
  if (!result) return null;
  useProjectStore.getState().applyProject(result.project);
  const editor = useEditorStore.getState();
  if (editor.label === id) editor.setLabel(result.project.classes[0]?.id ?? 0);
  return result.changedImageIds;
}

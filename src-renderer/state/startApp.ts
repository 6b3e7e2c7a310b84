/**
 * Wires the stores to a transport: binds it, follows its connection and main's events,
 * then asks main for the app info and the open project.
 */
import type { Transport } from '../transport';
import { bindTransport, request } from './client';
import { useProjectStore } from './projectStore';
import { useSessionStore } from './sessionStore';
import { useTrainingStore } from './trainingStore';

/** Starts the renderer's state over `transport`; resolves once the first answers are in. */
export async function startApp(transport: Transport): Promise<void> {
  bindTransport(transport);
  const session = useSessionStore.getState();
  const project = useProjectStore.getState();
  const training = useTrainingStore.getState();

  session.setTransportKind(transport.kind);
  session.setConnection(transport.getConnection());
  transport.onConnectionChange((state) => session.setConnection(state));

  // Subscribe before the first requests so that no change between them is missed.
  transport.onEvent('project:changed', (e) => project.applyProject(e.project));
  transport.onEvent('project:imagesChanged', (e) => project.applyImages(e.images));
  transport.onEvent('app:engine', (engine) => session.setEngine(engine));
  transport.onEvent('training:progress', (status) => training.applyStatus(status));
  transport.onEvent('proposals:changed', (e) => project.applyProposalsChanged(e.ids));

  await Promise.all([loadAppInfo(), project.refreshProject(), training.refresh()]);
}

async function loadAppInfo(): Promise<void> {
  const info = await request('Asking for the app info', (api) => api.app.info({}));
  if (info) useSessionStore.getState().setAppInfo(info);
}

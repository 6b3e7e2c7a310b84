/**
 * The Electron main process: one instance, one window, the core behind IPC and the media
 * protocol. Everything else lives in the core, which the web mode shares.
 */
import { join } from 'node:path';
import { app } from 'electron';
import { reportLines } from '../../shared/engineProtocol';
import { Core } from '../core';
import { createLogger, setLogFile } from '../log';
import { ensureSampleProject } from '../sample';
import { projectDirFromArgv } from './args';
import { createEngine } from './engine';
import { setupIpc } from './ipc';
import { registerMediaScheme, setupMediaProtocol } from './protocol';
import { setupSecurity } from './security';
import { createMainWindow, focusMainWindow, renderer } from './windows';

const log = createLogger('main');

registerMediaScheme();

if (process.argv.includes('--doctor')) {
  void doctor();
} else if (app.requestSingleInstanceLock()) {
  app.on('second-instance', focusMainWindow);
  start().catch((err: unknown) => {
    log.error('startup failed', err);
    app.exit(1);
  });
} else {
  // Another SkipSeg is running; it was told via 'second-instance' and brings itself forward.
  app.quit();
}

async function start(): Promise<void> {
  setLogFile(join(app.getPath('userData'), 'logs', 'main.log'));
  await app.whenReady();
  setupSecurity(renderer);

  const engine = createEngine();
  const core = new Core({ version: app.getVersion(), transport: 'electron', engine });
  setupMediaProtocol(core);
  setupIpc(core, renderer);
  core.startEngine();
  app.on('will-quit', () => void engine.stop());
  // Opened before the window exists, so the renderer's first `project:current` finds it.
  await openStartupProject(core);

  createMainWindow();
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!focusMainWindow()) createMainWindow();
  });
}

/**
 * `SkipSeg --doctor`: starts the engine as the app does (a utilityProcess, where Dawn and
 * libtensorflow must load) and prints which backend it chose and why each faster one was
 * passed over; no window. Exits 0 when a backend started.
 */
async function doctor(): Promise<void> {
  await app.whenReady();
  const engine = createEngine();
  let code = 1;
  try {
    const report = await engine.start();
    for (const line of reportLines(report)) console.log(line);
    console.log(`SkipSeg (Electron ${process.versions.electron}) computes with ${report.id}.`);
    code = 0;
  } catch (err) {
    console.log(`the engine did not start: ${err instanceof Error ? err.message : String(err)}`);
  }
  await engine.stop();
  app.exit(code);
}

/** `--project DIR` if given, else the sample project; a failure leaves no project open. */
async function openStartupProject(core: Core): Promise<void> {
  try {
    const dir =
      projectDirFromArgv(process.argv, process.cwd()) ??
      (await ensureSampleProject(app.getPath('userData'), join(app.getAppPath(), 'assets'))).dir;
    const opened = await core.dispatch('project:open', { dir });
    if (opened.ok) log.info(`opened project ${dir}`);
    else log.warn(`could not open ${dir}: ${opened.error.message}`);
  } catch (err) {
    log.error('could not prepare the sample project', err);
  }
}

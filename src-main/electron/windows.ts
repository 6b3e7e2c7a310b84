/**
 * The app window: sandboxed, context-isolated, and loading only our renderer, from the
 * built files or, in development, from electron-vite's dev server.
 */
import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';
import type { RendererLocation } from './urls';

/** out/main/index.js sits next to out/renderer and out/preload after the build. */
const OUT_DIR = join(import.meta.dirname, '..');

// An environment variable must not redirect a packaged app to another page.
const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;

export const renderer: RendererLocation = {
  indexFile: join(OUT_DIR, 'renderer', 'index.html'),
  ...(devUrl ? { devUrl } : {}),
};

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 600,
    show: false,
    title: app.getName(),
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: join(OUT_DIR, 'preload', 'index.cjs'),
    },
  });
  // Showing before the first paint flashes an empty white window.
  window.once('ready-to-show', () => window.show());
  closeAfterSaving(window);

  if (renderer.devUrl) void window.loadURL(renderer.devUrl);
  else void window.loadFile(renderer.indexFile);
  return window;
}

/** Brings the existing window forward, e.g. for a second launch; false when there is none. */
export function focusMainWindow(): boolean {
  const [window] = BrowserWindow.getAllWindows();
  if (!window) return false;
  if (window.isMinimized()) window.restore();
  window.focus();
  return true;
}

/** How long a closing window waits, at most, for its last autosave. */
const SAVE_GRACE_MS = 3000;

/**
 * Closing saves first: the page is asked to flush its autosave (it answers once the save
 * is on disk or has failed), and the window closes then, or after SAVE_GRACE_MS. The page's
 * beforeunload block, which Electron would obey without a word, is overruled.
 */
function closeAfterSaving(window: BrowserWindow): void {
  window.webContents.on('will-prevent-unload', (event) => event.preventDefault());
  let isClosing = false;
  window.on('close', (event) => {
    if (isClosing) return;
    isClosing = true;
    event.preventDefault();
    const flushed = window.webContents.executeJavaScript(
      'new Promise((done) => dispatchEvent(new CustomEvent("skipseg:flush", { detail: done })))',
      true,
    );
    const grace = new Promise((done) => setTimeout(done, SAVE_GRACE_MS));
    void Promise.race([flushed.catch(() => {}), grace]).then(() => window.destroy());
  });
}

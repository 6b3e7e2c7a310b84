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

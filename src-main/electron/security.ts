/**
 * Locks every web contents down: no navigation away from the renderer, no new windows,
 * no permissions, and a strict Content-Security-Policy on every response.
 */
import { app, session, shell, type WebContents } from 'electron';
import { MEDIA_SCHEME } from '../../shared/ipc';
import { createLogger } from '../log';
import type { RendererLocation } from './urls';

const log = createLogger('security');

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' blob: data: ${MEDIA_SCHEME}:`,
  "connect-src 'self'",
  "font-src 'self'",
].join('; ');

// Vite's dev server injects an inline module script (React refresh), which 'self' refuses.
const DEV_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");

export function setupSecurity(renderer: RendererLocation): void {
  const policy = renderer.devUrl ? DEV_CSP : CSP;
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    // DevTools' own pages run inline scripts; our policy would leave them blank.
    if (details.url.startsWith('devtools:')) return callback({});
    const responseHeaders = { ...details.responseHeaders, 'Content-Security-Policy': [policy] };
    callback({ responseHeaders });
  });

  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn(`refused a request for the "${permission}" permission`);
    callback(false);
  });

  // Every web contents, including ones we did not create ourselves, gets the same guards.
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
}

function guardContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (event.url === contents.getURL()) return;
    event.preventDefault();
    log.warn(`refused navigation to ${event.url}`);
  });

  contents.on('will-attach-webview', (event) => event.preventDefault());

  contents.setWindowOpenHandler(({ url }) => {
    if (isHttps(url)) void shell.openExternal(url);
    else log.warn(`refused to open a window for ${url}`);
    return { action: 'deny' };
  });
}

function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

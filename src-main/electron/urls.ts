/**
 * The URL checks of the Electron shell, kept free of `electron` so they can be unit-tested:
 * which media URLs the custom protocol serves, and which frames may call IPC.
 */
import { pathToFileURL } from 'node:url';
import { MEDIA_KINDS, MEDIA_SCHEME, type MediaKind } from '../../shared/ipc';
import { IMAGE_ID_PATTERN } from '../../shared/project';

export interface MediaRequest {
  kind: MediaKind;
  id: string;
}

/** Where the renderer is loaded from: the built index.html, or the dev server in development. */
export interface RendererLocation {
  /** Absolute path of out/renderer/index.html. */
  indexFile: string;
  /** electron-vite's dev server URL; only honoured in unpackaged runs. */
  devUrl?: string;
}

// Matched on the raw string, not on a parsed URL: parsing would fold `a/../b` into `b`, and a
// media URL with anything but one host and one path segment is a bug or an attack.
const MEDIA_URL = new RegExp(`^${MEDIA_SCHEME}://([^/?#]*)/([^/?#]*)(?:\\?[^#]*)?(?:#.*)?$`);

/** `skipseg-media://<kind>/<id>` → kind and id, or null for anything else (answer 400). */
export function parseMediaUrl(url: string): MediaRequest | null {
  const match = MEDIA_URL.exec(url);
  if (!match) return null;
  const [, kind = '', id = ''] = match;
  if (!isMediaKind(kind) || !IMAGE_ID_PATTERN.test(id)) return null;
  return { kind, id };
}

function isMediaKind(value: string): value is MediaKind {
  return (MEDIA_KINDS as readonly string[]).includes(value);
}

/** The HTTP status for an AppError code thrown by `core.media`. */
export function mediaErrorStatus(code: string): number {
  if (code === 'UNKNOWN_IMAGE') return 404;
  if (code === 'PATH_OUTSIDE_PROJECT') return 403;
  return 500;
}

/**
 * True when `url` is our renderer page: the built index.html by file URL (any query or hash),
 * or a page of the dev server's origin. IPC from any other page is refused.
 */
export function isRendererUrl(url: string, renderer: RendererLocation): boolean {
  const page = safeUrl(url);
  if (!page) return false;

  if (page.protocol === 'file:') {
    const index = pathToFileURL(renderer.indexFile);
    return page.host === index.host && page.pathname === index.pathname;
  }

  const dev = renderer.devUrl ? safeUrl(renderer.devUrl) : null;
  // A file: origin serialises as "null", so the origin check only ever matches http(s).
  return dev !== null && dev.origin !== 'null' && page.origin === dev.origin;
}

function safeUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

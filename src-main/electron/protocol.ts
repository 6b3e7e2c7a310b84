/**
 * The `skipseg-media://<kind>/<id>` protocol that <img> tags load images and thumbnails
 * from. The renderer only ever names an image id; the core resolves it inside the project.
 */
import { protocol } from 'electron';
import { AppError } from '../../shared/errors';
import { MEDIA_SCHEME } from '../../shared/ipc';
import type { Core } from '../core';
import { createLogger } from '../log';
import { mediaErrorStatus, parseMediaUrl } from './urls';

const log = createLogger('protocol');

/** Must run before the app is ready: Chromium fixes scheme privileges at startup. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function setupMediaProtocol(core: Core): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const media = parseMediaUrl(request.url);
    if (!media) return textResponse(400, 'bad media URL');

    try {
      const png = await core.media(media.kind, media.id);
      // BodyInit refuses a Buffer (its memory could be shared); a copy is cheap next to encoding.
      return new Response(new Uint8Array(png), { headers: { 'Content-Type': 'image/png' } });
    } catch (err) {
      if (err instanceof AppError) return textResponse(mediaErrorStatus(err.code), err.code);
      log.error(`${media.kind} ${media.id} failed`, err);
      return textResponse(500, 'media failed');
    }
  });
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain' } });
}

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRendererUrl, mediaErrorStatus, parseMediaUrl } from './urls';

describe('parseMediaUrl', () => {
  it('accepts a known kind and a valid image id', () => {
    const image = parseMediaUrl('skipseg-media://image/slice-01');
    expect(image).toEqual({ kind: 'image', id: 'slice-01' });
    const thumbnail = parseMediaUrl('skipseg-media://thumbnail/a_B9');
    expect(thumbnail).toEqual({ kind: 'thumbnail', id: 'a_B9' });
  });

  it('ignores a query or hash, e.g. a cache-buster', () => {
    expect(parseMediaUrl('skipseg-media://image/abc?v=2#x')).toEqual({ kind: 'image', id: 'abc' });
  });

  it.each([
    'skipseg-media://mask/abc',
    'skipseg-media://file/abc',
    'skipseg-media://IMAGE/abc',
    'skipseg-media:///abc',
    'skipseg-media://image.evil/abc',
  ])('refuses an unknown kind: %s', (url) => {
    expect(parseMediaUrl(url)).toBeNull();
  });

  it.each([
    'skipseg-media://image/',
    'skipseg-media://image',
    'skipseg-media://image/..',
    'skipseg-media://image/../etc',
    'skipseg-media://image/../../etc/passwd',
    'skipseg-media://image/a/../b',
    'skipseg-media://image/a%2Fb',
    'skipseg-media://image/a%2fb',
    'skipseg-media://image/%2e%2e',
    'skipseg-media://image/a%5Cb',
    'skipseg-media://image/a\\b',
    'skipseg-media://image/.hidden',
    'skipseg-media://image/-abc',
    'skipseg-media://image/abc/',
    'skipseg-media://image/a b',
    `skipseg-media://image/${'a'.repeat(65)}`,
  ])('refuses a bad id: %s', (url) => {
    expect(parseMediaUrl(url)).toBeNull();
  });

  it.each([
    'file:///etc/passwd',
    'https://image/abc',
    'skipseg-media:image/abc',
    'xskipseg-media://image/abc',
    'skipseg-media://user@image/abc',
    'skipseg-media://image:80/abc',
  ])('refuses anything but skipseg-media://<kind>/<id>: %s', (url) => {
    expect(parseMediaUrl(url)).toBeNull();
  });
});

describe('mediaErrorStatus', () => {
  it('maps the core’s media errors to HTTP statuses', () => {
    expect(mediaErrorStatus('UNKNOWN_IMAGE')).toBe(404);
    expect(mediaErrorStatus('PATH_OUTSIDE_PROJECT')).toBe(403);
    expect(mediaErrorStatus('NO_PROJECT')).toBe(500);
    expect(mediaErrorStatus('ANYTHING_ELSE')).toBe(500);
  });
});

describe('isRendererUrl', () => {
  const indexFile = join('/opt', 'SkipSeg app', 'out', 'renderer', 'index.html');
  const index = pathToFileURL(indexFile).href;
  const built = { indexFile };
  const dev = { indexFile, devUrl: 'http://localhost:5173/' };

  it('accepts the built index.html, with or without a hash or query', () => {
    expect(isRendererUrl(index, built)).toBe(true);
    expect(isRendererUrl(`${index}#/images/abc`, built)).toBe(true);
    expect(isRendererUrl(`${index}?debug=1`, built)).toBe(true);
  });

  it('accepts a page of the dev server only when one is configured', () => {
    expect(isRendererUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isRendererUrl('http://localhost:5173/index.html#x', dev)).toBe(true);
    expect(isRendererUrl('http://localhost:5173/', built)).toBe(false);
  });

  it.each([
    'file:///etc/passwd',
    'file:///opt/SkipSeg%20app/out/renderer/other.html',
    'file:///opt/SkipSeg%20app/out/renderer/index.html/../../../../tmp/evil.html',
    'file:///tmp/out/renderer/index.html',
    'file://evil-host/opt/SkipSeg%20app/out/renderer/index.html',
    'https://example.com/',
    'http://localhost:5174/',
    'https://localhost:5173/',
    'http://localhost.evil.com:5173/',
    'http://127.0.0.1:5173/',
    'skipseg-media://image/abc',
    'data:text/html,<script>1</script>',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    '',
    'not a url',
  ])('refuses a foreign sender: %s', (url) => {
    expect(isRendererUrl(url, dev)).toBe(false);
  });

  it('refuses every page when the dev URL is itself a file URL', () => {
    const odd = { indexFile, devUrl: 'file:///tmp/evil.html' };
    expect(isRendererUrl('file:///tmp/evil.html', odd)).toBe(false);
  });
});

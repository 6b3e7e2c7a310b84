import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WireMessage } from '../../shared/webProtocol';
import { decodeMessage, encodeMessage } from '../../shared/wireCodec';
import { Core } from '../../src-main/core';
import { Project } from '../../src-main/project/project';
import { startWebServer, type WebServer } from '../../src-main/web/server';
import { tempDir, writeImage } from '../helpers/fixtures';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let server: WebServer;
let base: string;
let cookie: string;

beforeAll(async () => {
  tmp = await tempDir();
  const renderer = join(tmp.dir, 'renderer');
  await mkdir(renderer);
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>SkipSeg</title>');
  await writeFile(join(tmp.dir, 'outside.txt'), 'secret');
  const project = await Project.create(join(tmp.dir, 'p'), 'Web');
  await writeImage(join(tmp.dir, 'a.png'), { width: 20, height: 10, channels: 1, format: 'png' });
  await project.addImages([join(tmp.dir, 'a.png')]);

  const core = new Core({ version: '0.0.0-test', transport: 'web' });
  await core.dispatch('project:open', { dir: project.dir });
  server = await startWebServer({ core, rendererDir: renderer });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  await tmp.remove();
});

describe('web mode HTTP', () => {
  it('refuses a request without the token', async () => {
    for (const path of ['/', '/media/image/a', '/index.html']) {
      const res = await fetch(base + path);
      expect(res.status).toBe(403);
    }
    const wrong = await fetch(`${base}/?token=nope`);
    expect(wrong.status).toBe(403);
  });

  it('swaps the launch token for an HttpOnly cookie', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    cookie = setCookie.split(';')[0]!;
    expect((await fetch(base + '/', { headers: { cookie } })).status).toBe(200);
  });

  it('serves images by id as PNG and refuses anything else', async () => {
    const res = await fetch(base + '/media/image/a', { headers: { cookie } });
    expect(res.status).toBe(200);
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 20, 10]);
    const thumb = await fetch(base + '/media/thumbnail/a', { headers: { cookie } });
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBe(20);

    expect((await fetch(base + '/media/image/zzz', { headers: { cookie } })).status).toBe(404);
    expect(
      (await fetch(base + '/media/image/..%2F..%2Fproject.json', { headers: { cookie } })).status,
    ).toBe(400);
    expect((await fetch(base + '/media/file/a', { headers: { cookie } })).status).toBe(400);
    expect((await fetch(base + '/..%2Foutside.txt', { headers: { cookie } })).status).toBe(404);
    expect((await fetch(base + '/%E0%A4%A', { headers: { cookie } })).status).toBe(400);
    expect((await fetch(base + '/media/image/%E0%A4%A', { headers: { cookie } })).status).toBe(400);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const req = request(`${base}/`, { headers: { host: 'evil.example', cookie } }, (res) =>
        resolve(res.statusCode ?? 0),
      );
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('web mode WebSocket', () => {
  function connect(headers: Record<string, string>): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { headers });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  }

  function call(ws: WebSocket, id: number, channel: string, args: unknown): Promise<WireMessage> {
    return new Promise((resolve) => {
      const onMessage = (data: Buffer) => {
        const message = decodeMessage(new Uint8Array(data)) as WireMessage;
        if (message.kind === 'response' && message.id === id) {
          ws.off('message', onMessage);
          resolve(message);
        }
      };
      ws.on('message', onMessage);
      ws.send(encodeMessage({ kind: 'request', id, channel, args }));
    });
  }

  it('refuses a socket without the cookie', async () => {
    await expect(connect({})).rejects.toThrow(/403/);
  });

  it('answers requests and carries masks as binary', async () => {
    const ws = await connect({ cookie });
    const listed = await call(ws, 1, 'project:listImages', {});
    expect(listed).toMatchObject({
      kind: 'response',
      result: { ok: true, value: [{ id: 'a', width: 20 }] },
    });

    const events: WireMessage[] = [];
    ws.on('message', (data: Buffer) =>
      events.push(decodeMessage(new Uint8Array(data)) as WireMessage),
    );
    const data = new Uint8Array(200).fill(1);
    const saved = await call(ws, 2, 'mask:save', { id: 'a', width: 20, height: 10, data });
    expect(saved).toMatchObject({ result: { ok: true, value: { status: 'labelled' } } });
    expect(events.some((e) => e.kind === 'event' && e.name === 'project:imagesChanged')).toBe(true);

    const got = await call(ws, 3, 'mask:get', { id: 'a' });
    const mask = (got as { result: { value: { data: Uint8Array } } }).result.value.data;
    expect(mask).toBeInstanceOf(Uint8Array);
    expect(mask).toEqual(data);

    const bad = await call(ws, 4, 'mask:save', { id: 'a', width: 20, height: 10, data: [1, 2] });
    expect(bad).toMatchObject({ result: { ok: false, error: { code: 'BAD_REQUEST' } } });
    expect((bad as { result: { error: { message: string } } }).result.error.message).toMatch(
      /^mask:save: data:/,
    );
    ws.close();
  });
});

/**
 * Web mode: the renderer in a browser against the same Core, over HTTP and one WebSocket,
 * on 127.0.0.1 only. Each launch makes a random token; the launch URL carries it once and
 * the server swaps it for an HttpOnly cookie, which every later request must present.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '../../shared/errors';
import { MEDIA_KINDS, type MediaKind } from '../../shared/ipc';
import { IMAGE_ID_PATTERN } from '../../shared/project';
import { decodeMessage, encodeMessage } from '../../shared/wireCodec';
import {
  MEDIA_PATH,
  TOKEN_COOKIE,
  TOKEN_PARAM,
  WS_PATH,
  type WireMessage,
} from '../../shared/webProtocol';
import type { Core } from '../core';
import { isInside } from '../project/files';
import { createLogger } from '../log';

const log = createLogger('web');

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "font-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

export interface WebServerOptions {
  core: Core;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface WebServer {
  /** The launch URL, token included. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const { core, rendererDir } = options;

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((err) => {
      log.error(`${req.method} ${req.url?.split('?')[0]} failed`, err);
      if (!res.headersSent) send(res, 500, 'internal error');
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostAllowed(req, port())) return send(res, 403, 'wrong host');
    const given = url.searchParams.get(TOKEN_PARAM);
    if (given !== null && sameToken(given, token)) {
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    } else if (!sameToken(cookieToken(req) ?? '', token)) {
      return send(res, 403, 'missing or wrong token: open the URL SkipSeg printed at launch');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');

    if (url.pathname.startsWith(MEDIA_PATH + '/')) return serveMedia(res, url.pathname);
    return serveStatic(res, url.pathname);
  }

  async function serveMedia(res: ServerResponse, pathname: string): Promise<void> {
    const [kind, rawId, ...rest] = pathname.slice(MEDIA_PATH.length + 1).split('/');
    const id = safeDecode(rawId ?? '');
    const valid = id !== null && IMAGE_ID_PATTERN.test(id);
    if (rest.length > 0 || !MEDIA_KINDS.includes(kind as MediaKind) || !valid) {
      return send(res, 400, 'expected /media/<image|thumbnail>/<image id>');
    }
    try {
      const png = await core.media(kind as MediaKind, id!);
      res.writeHead(200, { 'Content-Type': 'image/png', 'Cache-Control': 'no-cache' });
      res.end(png);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const status =
        err.code === 'PATH_OUTSIDE_PROJECT' ? 403 : err.code === 'UNKNOWN_IMAGE' ? 404 : 409;
      send(res, status, err.message);
    }
  }

  async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
    const decoded = safeDecode(pathname);
    if (decoded === null) return send(res, 400, 'malformed path');
    const relative = pathname === '/' ? 'index.html' : normalize(decoded).slice(1);
    const file = join(rendererDir, relative);
    if (!isInside(rendererDir, file)) return send(res, 404, 'not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return send(res, 404, 'not found');
    }
    const headers: Record<string, string> = {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
    };
    if (extname(file) === '.html') headers['Content-Security-Policy'] = CSP;
    res.writeHead(200, headers);
    res.end(body);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 512 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const originOk =
      origin === undefined ||
      hostAllowed({ headers: { host: origin.replace(/^https?:\/\//, '') } }, port());
    if (
      url.pathname !== WS_PATH ||
      !hostAllowed(req, port()) ||
      !originOk ||
      !sameToken(cookieToken(req) ?? '', token)
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, core));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = () => (server.address() as AddressInfo).port;
  log.info(`web mode listening on http://127.0.0.1:${port()}/`);

  return {
    url: `http://127.0.0.1:${port()}/?${TOKEN_PARAM}=${token}`,
    port: port(),
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets.clients) ws.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function serveSocket(ws: WebSocket, core: Core): void {
  const push = (message: WireMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage(message));
  };
  const unsubscribe = core.subscribe((name, payload) => push({ kind: 'event', name, payload }));
  ws.on('close', unsubscribe);
  ws.on('message', (data, isBinary) => {
    if (!isBinary) return ws.close(1003, 'binary frames only');
    let message: WireMessage;
    try {
      message = decodeMessage(toBytes(data)) as WireMessage;
    } catch {
      return ws.close(1007, 'malformed frame');
    }
    if (
      message?.kind !== 'request' ||
      !Number.isInteger(message.id) ||
      typeof message.channel !== 'string'
    ) {
      return ws.close(1007, 'expected a request');
    }
    void core.dispatch(message.channel, message.args).then((result) => {
      push({ kind: 'response', id: message.id, result });
    });
  });
}

/** The decoded path segment, or null when its %-escapes are malformed. */
function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Refuses DNS-rebinding: the Host header must name the loopback address we listen on. */
function hostAllowed(req: { headers: { host?: string | undefined } }, port: number): boolean {
  const host = req.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return value.join('=');
  }
  return null;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text + '\n');
}

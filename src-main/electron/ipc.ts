/**
 * Request channels from the renderer to the core, and core events pushed back. Only our
 * renderer page in our own windows may call; the core validates every payload itself.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { fail } from '../../shared/errors';
import { CHANNELS } from '../../shared/ipc';
import type { Core } from '../core';
import { createLogger } from '../log';
import { EVENT_CHANNEL } from './bridge';
import { isRendererUrl, type RendererLocation } from './urls';

const log = createLogger('ipc');

export function setupIpc(core: Core, renderer: RendererLocation): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, args: unknown) => {
      if (!isTrustedSender(event, renderer)) {
        log.warn(`refused ${channel} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
        return fail('FORBIDDEN', `${channel} may only be called by the SkipSeg window`);
      }
      return core.dispatch(channel, args);
    });
  }

  core.subscribe((name, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, name, payload);
    }
  });
}

function isTrustedSender(event: IpcMainInvokeEvent, renderer: RendererLocation): boolean {
  const frame = event.senderFrame;
  // senderFrame is null once the frame has navigated away or been destroyed.
  if (!frame) return false;
  if (!BrowserWindow.fromWebContents(event.sender)) return false;
  return isRendererUrl(frame.url, renderer);
}

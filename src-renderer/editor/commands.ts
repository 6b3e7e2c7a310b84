/**
 * What each editor command does, in terms of the core's public methods; the shortcut
 * table names the commands and the core's key handler runs them through here.
 */
import { exhaustiveSwitchError } from '../../shared/errors';
import { BACKGROUND } from '../../shared/project';
import type { EditorCore } from './EditorCore';
import { stepBrushRadius } from './settings';
import type { EditorCommand } from './shortcuts';
import type { ToolId } from './types';

const TOOL_OF_COMMAND = {
  'tool:brush': 'brush',
  'tool:eraser': 'eraser',
  'tool:polygon': 'polygon',
  'tool:fill': 'fill',
  'tool:wand': 'wand',
  'tool:accept': 'accept',
} as const satisfies Partial<Record<EditorCommand, ToolId>>;

/**
 * Runs `command` on `core`; `key` is the pressed key, which 'selectClass' reads as a
 * digit. Returns whether the command did anything.
 */
export function runEditorCommand(core: EditorCore, command: EditorCommand, key: string): boolean {
  switch (command) {
    case 'tool:brush':
    case 'tool:eraser':
    case 'tool:polygon':
    case 'tool:fill':
    case 'tool:wand':
    case 'tool:accept':
      core.setTool(TOOL_OF_COMMAND[command]);
      return true;
    case 'brush:grow':
    case 'brush:shrink': {
      const direction = command === 'brush:grow' ? 1 : -1;
      core.setBrushRadius(stepBrushRadius(core.getSnapshot().brushRadius, direction));
      return true;
    }
    case 'undo':
      return core.undo();
    case 'redo':
      return core.redo();
    case 'confirm':
      return core.confirm();
    case 'cancel':
      return core.cancel();
    case 'removeLastPoint':
      return core.removeLastPoint();
    case 'selectClass':
      return core.selectDigit(Number(key));
    case 'selectBackground':
      core.setLabel(BACKGROUND);
      return true;
    default:
      return exhaustiveSwitchError(command);
  }
}

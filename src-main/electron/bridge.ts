/** The one IPC channel main pushes core events on, as `(name, payload)`. */
export const EVENT_CHANNEL = 'skipseg:event';

import { AppError } from './errors.ts';

// Opaque cursors for lists ordered newest first by (created_at, id): the position of the last
// row of a page. Keyset, never OFFSET, so a page costs the same however deep it is.

export interface KeysetPosition {
  createdAt: number;
  id: string;
}

export function encodeKeysetCursor(position: KeysetPosition): string {
  return Buffer.from(`${position.createdAt}:${position.id}`).toString('base64url');
}

/** The position a cursor names; 400 `invalid_cursor` for anything this server did not give out. */
export function decodeKeysetCursor(cursor: string): KeysetPosition {
  const text = Buffer.from(cursor, 'base64url').toString();
  const match = /^(\d{1,16}):([0-9a-f-]{36})$/.exec(text);
  if (!match) throw new AppError('invalid_cursor', 'The cursor is not one this server gave out.');
  return { createdAt: Number(match[1]), id: match[2]! };
}

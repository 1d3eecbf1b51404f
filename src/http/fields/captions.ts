/** The `captions` field of POST /api/generate: `burn` burns them into the MP4; absent, "" or `off`: tracks only. */
import { ApiError } from '../errors.js';

export function captionsOption(value: unknown): 'burn' | null {
  if (value === undefined || value === null || value === '' || value === 'off' || value === 'tracks') return null;
  if (value === 'burn') return 'burn';
  throw new ApiError(400, 'input_invalid', 'captions must be "burn" or "off"');
}

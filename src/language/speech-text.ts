/** The text a voice reads, in the task's language (one function for every caller that normalizes). */
import { normalizeForSpeech } from '../text/index.js';
import type { Normalize } from '../runner/ports.js';

/** The shape is the runner's port (runner/ports.ts): the pipeline normalizes through it. */
export type { Normalize };

/** Text → speech text; without a language the normalizer detects it (as at intake). */
export const speechText: Normalize = (text, language) => normalizeForSpeech(text, { language: language ?? 'auto' }).text;

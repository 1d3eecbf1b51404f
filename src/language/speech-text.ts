/** The text a voice reads, in the task's language (one function for every caller that normalizes). */
import { normalizeForSpeech } from '../text/index.js';
import type { SpeechLanguage } from '../text/language.js';

/** Text → speech text; without a language the normalizer detects it (as at intake). */
export type Normalize = (text: string, language?: SpeechLanguage) => string;

export const speechText: Normalize = (text, language) => normalizeForSpeech(text, { language: language ?? 'auto' }).text;

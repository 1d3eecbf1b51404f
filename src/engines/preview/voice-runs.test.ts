import { describe, expect, it } from 'vitest';
import { PREVIEW_VOICES, PreviewSpeechEngine } from './preview.engines.js';
import { runsToSsml, voiceRuns } from './voice-runs.js';
import type { Media } from '../../media/media.js';

describe('preview voice runs', () => {
  it('English text is one English run; Chinese text one Chinese run', () => {
    expect(voiceRuns('Hello there, 2 cats.', 'en')).toEqual([{ language: 'en', text: 'Hello there, 2 cats.' }]);
    expect(voiceRuns('这款手机售价两千九百九十九元。', 'zh')).toEqual([{ language: 'zh', text: '这款手机售价两千九百九十九元。' }]);
  });

  it('mixed text switches at the script, punctuation and digits staying with their run', () => {
    expect(voiceRuns('我的新iPhone 15 Pro很好用。', 'zh')).toEqual([
      { language: 'zh', text: '我的新' },
      { language: 'en', text: 'iPhone 15 Pro' },
      { language: 'zh', text: '很好用。' },
    ]);
    expect(voiceRuns('“Hello”，他说。', 'zh')).toEqual([
      { language: 'en', text: '“Hello”' },
      { language: 'zh', text: '，他说。' },
    ]);
  });

  it('SSML names each run\u2019s voice and its rate relative to the base, text escaped', () => {
    const ssml = runsToSsml([{ language: 'zh', text: '价格<便宜>' }, { language: 'en', text: 'R&D' }], PREVIEW_VOICES, 160);
    expect(ssml).toBe('<speak><voice name="cmn-latn-pinyin"><prosody rate="125%">价格&lt;便宜&gt;</prosody></voice><voice name="en">R&amp;D</voice></speak>');
  });

  it('the engine reads one language as plain text with its voice, mixed text as SSML', () => {
    const e = new PreviewSpeechEngine({ media: {} as Media });
    expect(e.plan('Hello.', 'en')).toEqual({ input: 'Hello.', voice: 'en', wordsPerMinute: 160, ssml: false });
    expect(e.plan('你好。', 'zh')).toEqual({ input: '你好。', voice: 'cmn-latn-pinyin', wordsPerMinute: 200, ssml: false });
    // an English task's Chinese name is still read in Mandarin
    const mixed = e.plan('My name is 张伟.', 'en');
    expect(mixed.ssml).toBe(true);
    expect(mixed.input).toContain('<voice name="cmn-latn-pinyin">');
    expect(new PreviewSpeechEngine({ media: {} as Media, voiceZh: 'cmn' }).plan('你好', 'zh').voice).toBe('cmn');
  });
});

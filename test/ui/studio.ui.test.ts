/**
 * The studio flows of the UI in Chromium against a gateway on loopback with the preview engine:
 * Listen on the create page plays the text's speech (POST /api/speech-preview), and listening
 * again to the same words is answered from the server's cache. Screenshots:
 * test-artifacts/studio-listen-{wide,phone}.png. The task page puts the finished video first,
 * shows progress in the tab title, downloads under a readable name, and duplicates the task into
 * a prefilled create page: test-artifacts/studio-task-{wide,phone}.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, submit, waitFinal, type TestGateway } from '../helpers/gateway.js';
import { ARTIFACTS, ensureUiBuilt, haveChromium, PHONE, withPage } from './browser.js';

const have = haveChromium();
let gw: TestGateway;
beforeAll(async () => {
  if (!have) return;
  await ensureUiBuilt();
  gw = await startTestGateway({ preview: { slots: 1 } });
}, 180_000);
afterAll(async () => {
  await gw?.close();
});

const inBrowser = (body: (page: Page) => Promise<void>, locale = 'en-US'): Promise<void> => withPage({ locale }, body);

const hits = async (): Promise<number> => {
  const m = /^heygem_gateway_speech_preview_total\{cache="hit"\} (\d+)/m.exec(await (await fetch(`${gw.url}/metrics`)).text());
  return m ? Number(m[1]) : 0;
};

/** Clicks Listen and waits until the browser has read the WAV's header (it can play it). */
async function listen(page: Page): Promise<{ src: string; duration: number }> {
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/speech-preview') && r.request().method() === 'POST');
  await page.getByTestId('listen').click();
  expect((await answered).status()).toBe(200);
  const audio = page.getByTestId('listen-audio');
  await audio.waitFor();
  await page.waitForFunction(() => {
    const a = document.querySelector<HTMLAudioElement>('[data-testid="listen-audio"]');
    return !!a && a.readyState >= 1 && a.duration > 0;
  });
  return audio.evaluate((a: HTMLAudioElement) => ({ src: a.src, duration: a.duration }));
}

describe.skipIf(!have)('studio: listen before render', () => {
  it('plays the speech of the typed text, and the same words again come from the cache', async () => {
    await inBrowser(async (page) => {
      await page.goto(gw.url);
      await page.getByLabel('Text', { exact: true }).fill('Gate C22 costs $5.');
      const first = await listen(page);
      expect(first.src).toMatch(/\/api\/speech-preview\/[0-9a-f]{64}\.wav$/);
      expect(first.duration).toBeGreaterThan(0.5);
      await page.screenshot({ path: `${ARTIFACTS}/studio-listen-wide.png`, fullPage: true });

      // another text hides the old sound; typing the first one back is a cache hit
      await page.getByLabel('Text', { exact: true }).fill('Something else.');
      await expect.poll(() => page.getByTestId('listen-audio').count()).toBe(0);
      await page.getByLabel('Text', { exact: true }).fill('Gate C22 costs $5.');
      const before = await hits();
      const again = await listen(page);
      expect(again.src).toBe(first.src);
      expect(await hits()).toBe(before + 1);
    });
  });

  it('names a refused script next to the text, in the UI language, on a phone', async () => {
    await inBrowser(async (page) => {
      await page.setViewportSize(PHONE);
      await page.goto(gw.url);
      await page.getByTestId('listen').waitFor();
      expect(await page.getByTestId('listen').textContent()).toBe('试听');
      await page.locator('#text').fill('你好 안녕');
      await page.getByTestId('listen').click();
      await page.locator('#text-error').waitFor();
      expect(await page.locator('#text-error').textContent()).toContain('unsupported_script');
      expect(await page.getByTestId('listen-audio').count()).toBe(0);
      await page.screenshot({ path: `${ARTIFACTS}/studio-listen-phone.png`, fullPage: true });
    }, 'zh-CN');
  });
});

describe.skipIf(!have)('studio: the task page, result first', () => {
  it('shows the video above everything, the state in the tab title, a readable download and duplicate-and-edit', async () => {
    const text = '这款手机售价2999元 and ships in 3 days.';
    const r = await submit(gw.url, text);
    const id = String(r.body.task_id);
    expect((await waitFinal(gw.url, id, 120_000)).status).toBe('completed');
    await inBrowser(async (page) => {
      await page.goto(`${gw.url}/#/tasks/${id}`);
      const video = page.getByTestId('result-video');
      await video.waitFor();
      // the player comes before the progress bar and the timeline in the page
      const order = await page.evaluate(() => {
        const v = document.querySelector('[data-testid="result-video"]')!;
        const bar = document.querySelector('[role="progressbar"]')!;
        return v.compareDocumentPosition(bar) & Node.DOCUMENT_POSITION_FOLLOWING;
      });
      expect(order).toBeTruthy();
      expect(await video.getAttribute('src')).toMatch(/\.mp4#t=0\.1$/); // no avatar: the first frame is the poster
      await expect.poll(() => page.title()).toBe(`completed · ${text} · heygem-gateway`); // the state, then the task's title (its first words)
      expect(await page.getByTestId('task-voice').textContent()).not.toBe('');

      const href = (await page.getByTestId('download').getAttribute('href'))!;
      const res = await fetch(`${gw.url}${href}`);
      const day = new Date().toISOString().slice(0, 10);
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="2999-and-ships-in-3-days-${day}.mp4"; filename*=UTF-8''${encodeURIComponent(`这款手机售价2999元-and-ships-in-3-days-${day}.mp4`)}`,
      );
      await res.body?.cancel();
      await page.screenshot({ path: `${ARTIFACTS}/studio-task-wide.png`, fullPage: true });
      await page.setViewportSize(PHONE);
      await page.screenshot({ path: `${ARTIFACTS}/studio-task-phone.png` });

      await page.getByTestId('duplicate').click();
      await page.waitForURL(`**/#/from/${id}`);
      await expect.poll(() => page.locator('#text').inputValue()).toBe(text);
    });
  });
});

describe.skipIf(!have)('studio: safe and clear', () => {
  it('asks before deleting a voice (Keep keeps it) and before canceling a task; a canceled task is a neutral note', async () => {
    // a voice made from a speech preview's WAV
    const sp = (await (await fetch(`${gw.url}/api/speech-preview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'A voice for the library, long enough to clone.' }) })).json()) as { audio_url: string };
    const wav = new Blob([await (await fetch(`${gw.url}${sp.audio_url}`)).arrayBuffer()], { type: 'audio/wav' });
    const form = new FormData();
    form.set('audio', wav, 'narrator.wav');
    form.set('name', 'Narrator');
    const created = await fetch(`${gw.url}/api/voices`, { method: 'POST', body: form });
    expect(created.status, await created.clone().text()).toBe(201);
    const voiceId = ((await created.json()) as { id: string }).id;

    await inBrowser(async (page) => {
      await page.goto(`${gw.url}/#/voices`);
      const card = page.locator(`[data-testid="voice-card"][data-id="${voiceId}"]`);
      await card.waitFor();
      await card.getByRole('button', { name: 'Delete' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain('Delete the voice “Narrator”?');
      await page.screenshot({ path: `${ARTIFACTS}/studio-confirm-delete.png` });
      await dialog.getByRole('button', { name: 'Keep it' }).click();
      await expect.poll(() => dialog.isVisible()).toBe(false);
      expect((await fetch(`${gw.url}/api/voices/${voiceId}`)).status).toBe(200); // nothing deleted
      await card.getByRole('button', { name: 'Delete' }).click();
      await dialog.getByRole('button', { name: 'Delete' }).click();
      await card.waitFor({ state: 'detached' });
      expect((await fetch(`${gw.url}/api/voices/${voiceId}`)).status).toBe(404);

      // cancel asks first; the canceled task is a neutral note, not a red alert
      const long = 'A long text that keeps the preview engine busy for a while. '.repeat(40);
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(String((await submit(gw.url, `${i}. ${long}`)).body.task_id));
      await page.goto(`${gw.url}/#/tasks/${ids[2]}`);
      await page.getByTestId('cancel').click();
      await page.getByRole('dialog').getByRole('button', { name: 'Yes, cancel it' }).click();
      await page.getByTestId('task-canceled').waitFor();
      expect(await page.getByTestId('task-error').count()).toBe(0);
      expect(await page.locator('.badge').first().getAttribute('data-status')).toBe('canceled');
      await page.screenshot({ path: `${ARTIFACTS}/studio-canceled.png`, fullPage: true });
      await page.setViewportSize(PHONE);
      await page.screenshot({ path: `${ARTIFACTS}/studio-canceled-phone.png`, fullPage: true });
      for (const id of ids.slice(0, 2)) await fetch(`${gw.url}/api/tasks/${id}/cancel`, { method: 'POST' });
    });
  });

  it('refuses an empty or mistyped file before uploading it', async () => {
    await inBrowser(async (page) => {
      let uploads = 0;
      page.on('request', (r) => r.method() === 'POST' && r.url().includes('/api/avatars') && uploads++);
      await page.goto(`${gw.url}/#/avatars`);
      const input = page.locator('#upload-video');
      await input.setInputFiles({ name: 'empty.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(0) });
      await page.locator('#upload-video-error').waitFor();
      expect(await page.locator('#upload-video-error').textContent()).toBe('The file is empty (0 bytes); choose another one.');
      await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
      await expect.poll(() => page.locator('#upload-video-error').textContent()).toMatch(/^Unsupported format \.txt/);
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.screenshot({ path: `${ARTIFACTS}/studio-upload-refused.png`, fullPage: true });
      expect(uploads).toBe(0);
    });
  });
});

describe.skipIf(!have)('studio: dark mode', () => {
  it('follows the system, and a chosen theme is remembered over a reload', async () => {
    await inBrowser(async (page) => {
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.goto(gw.url);
      const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.getByTestId('theme-switch').waitFor();
      expect(await bg()).toBe('rgb(15, 20, 28)');
      // the keyboard focus ring is the dark theme's light blue
      await page.locator('#text').focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineColor)).toBe('rgb(143, 176, 255)');
      await page.getByLabel('Text', { exact: true }).fill('Gate C22 costs $5.');
      await page.screenshot({ path: `${ARTIFACTS}/studio-dark-create.png`, fullPage: true });

      await page.getByTestId('theme-switch').selectOption('light');
      expect(await bg()).toBe('rgb(245, 246, 248)');
      await page.reload();
      await page.getByTestId('theme-switch').waitFor();
      expect(await bg()).toBe('rgb(245, 246, 248)');
      expect(await page.getByTestId('theme-switch').inputValue()).toBe('light');
      await page.getByTestId('theme-switch').selectOption('system');
      expect(await bg()).toBe('rgb(15, 20, 28)');
    });
  });
});

/**
 * GET / — the web UI when it has been built (web/dist), otherwise a small page that still lets
 * a user submit text and explains how to build the full UI. The server never needs the UI to start.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY } from './security.js';

export const UI_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

const FALLBACK_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>heygem-gateway</title>
<style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}textarea{width:100%;min-height:6rem}pre{background:#f4f4f4;padding:.5rem;white-space:pre-wrap}</style>
</head><body>
<h1>heygem-gateway</h1>
<p>The full web UI has not been built. Build it with <code>npm run build:web</code>; the API works without it (see <a href="/docs">/docs</a>).</p>
<form id="f"><label for="text">Text</label><textarea id="text" name="text" required></textarea>
<label for="video">Face video (optional)</label> <input id="video" name="video" type="file" accept="video/*"> <button>Generate</button></form>
<pre id="out" aria-live="polite"></pre>
<script>
const out=document.getElementById('out');
document.getElementById('f').onsubmit=async(e)=>{e.preventDefault();
 const r=await fetch('/api/generate',{method:'POST',body:new FormData(e.target)});const j=await r.json();out.textContent=JSON.stringify(j,null,2);
 if(!j.task_id)return;const t=setInterval(async()=>{const s=await (await fetch(j.status_url)).json();out.textContent=JSON.stringify(s,null,2);
 if(['completed','failed','timeout','canceled'].includes(s.status)){clearInterval(t);if(s.result_url)out.insertAdjacentHTML('afterend','<video controls src="'+s.result_url+'" style="max-width:100%"></video>');}},1000);};
</script></body></html>`;

export async function registerUi(app: FastifyInstance, dist = UI_DIST): Promise<void> {
  if (existsSync(join(dist, 'index.html'))) {
    await app.register(fastifyStatic, { root: dist, prefix: '/', decorateReply: false, index: ['index.html'], wildcard: false });
    return;
  }
  // The fallback page's one inline script is allowed by its hash, not by 'unsafe-inline'.
  const script = /<script>([\s\S]*?)<\/script>/.exec(FALLBACK_PAGE)?.[1] ?? '';
  const csp = CONTENT_SECURITY_POLICY.replace("script-src 'self'", `script-src 'self' 'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', csp).send(FALLBACK_PAGE));
}

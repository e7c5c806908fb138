import { h } from '../dom.js';
import { request } from '../api.js';

const MAX_LINES = 5000;

/** A container's logs: the last N lines, stdout/stderr/both, followed live, downloadable. */
export function logsPanel(id) {
  const stream = h('select', { 'aria-label': 'Log stream' },
    h('option', { value: 'all' }, 'stdout + stderr'), h('option', { value: 'stdout' }, 'stdout'), h('option', { value: 'stderr' }, 'stderr'));
  const tail = h('input', { type: 'number', min: '0', max: '100000', value: '200', class: 'narrow', 'aria-label': 'Lines from the end (0: all)' });
  const follow = h('input', { type: 'checkbox', checked: true, id: 'logs-follow' });
  const download = h('button', { type: 'button' }, 'Download');
  const status = h('span', { class: 'hint', role: 'status' });
  const out = h('pre', { class: 'logs', tabindex: '0', 'aria-label': 'Container output', 'aria-live': 'off' });
  let controller = null;
  let retry = null;

  const start = async () => {
    clearTimeout(retry);
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = controller;
    out.textContent = '';
    const q = new URLSearchParams({ stream: stream.value, follow: String(follow.checked) });
    if (Number(tail.value) > 0) q.set('tail', String(Number(tail.value)));
    status.textContent = follow.checked ? 'following…' : '';
    try {
      const res = await request('GET', `/v1/containers/${encodeURIComponent(id)}/logs?${q}`, { signal: mine.signal });
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        append(decoder.decode(value, { stream: true }));
      }
      if (mine === controller) status.textContent = follow.checked ? 'the container is gone: no more output' : '';
    } catch (e) {
      if (e.name === 'AbortError' || mine !== controller) return;
      // A dropped connection (fetch's TypeError: the network changed, the API restarted) is
      // retried while following; an answer from the API (ApiError) is shown and left alone.
      if (follow.checked && e instanceof TypeError) {
        status.textContent = 'interrupted: reconnecting…';
        retry = setTimeout(() => mine === controller && start(), 1000);
      } else {
        status.textContent = `logs: ${e.message}`;
      }
    }
  };

  const append = (text) => {
    const stick = out.scrollTop + out.clientHeight >= out.scrollHeight - 4;
    out.append(document.createTextNode(text));
    if (out.childNodes.length > 200) out.normalize();
    const lines = out.textContent.split('\n');
    if (lines.length > MAX_LINES) out.textContent = lines.slice(-MAX_LINES).join('\n');
    if (stick) out.scrollTop = out.scrollHeight;
  };

  download.addEventListener('click', async () => {
    const q = new URLSearchParams({ stream: stream.value });
    try {
      const res = await request('GET', `/v1/containers/${encodeURIComponent(id)}/logs?${q}`);
      const blob = await res.blob();
      const a = h('a', { href: URL.createObjectURL(blob), download: `${id}-${stream.value}.log` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    } catch (e) {
      status.textContent = `download: ${e.message}`;
    }
  });
  for (const c of [stream, tail, follow]) c.addEventListener('change', start);
  start();
  const el = h('div', { class: 'panel', dataset: { panel: 'logs' } },
    h('div', { class: 'toolbar' }, stream, h('label', {}, 'Tail ', tail), h('label', { for: 'logs-follow' }, follow, ' Follow'), download, status),
    out);
  return { el, dispose: () => { clearTimeout(retry); if (controller) controller.abort(); } };
}

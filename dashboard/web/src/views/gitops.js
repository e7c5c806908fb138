import { h } from '../dom.js';
import { ago, time } from '../format.js';
import { json, request } from '../api.js';
import { workloadLink, link } from '../cells.js';

// GitOps sources: where each stands against its repository (polled: statuses are not on the watch
// stream), one in full with its workloads and its last syncs, and "Sync now".

const REFRESH_MS = 2000;

const short = (sha) => (sha ? sha.slice(0, 7) : '—');
const badge = (word) => h('span', { class: `badge gitops-${(word || 'Unknown').toLowerCase()}` }, word || 'Unknown');

function polled(load, render) {
  let timer = null;
  let stopped = false;
  const tick = async () => {
    try {
      render(await load(), null);
    } catch (e) {
      render(null, e);
    }
    if (!stopped) timer = setTimeout(tick, REFRESH_MS);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function table(label, head, rows) {
  return h('table', { class: 'plain', 'aria-label': label },
    h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((c) => h('td', {}, c))))));
}

/** Every source: sync state, health, commit, message. */
export function gitopsListPage() {
  const body = h('div', {}, h('p', { class: 'empty' }, 'loading…'));
  const stop = polled(
    () => json('GET', '/v1/gitops/sources'),
    (out, err) => {
      if (err) {
        body.replaceChildren(h('p', { class: 'empty', role: 'alert' }, `Sources could not be read: ${err.message}`));
        return;
      }
      if (!out.items.length) {
        body.replaceChildren(h('p', { class: 'empty' }, 'No git sources: `berth gitops add NAME --repo URL` declares one.'));
        return;
      }
      body.replaceChildren(table('Git sources', ['Source', 'Sync', 'Health', 'Synced', 'Fetched', 'Message'],
        out.items.map((s) => [
          link(`#/gitops/${encodeURIComponent(s.name)}`, s.name),
          badge(s.status.sync),
          badge(s.status.health),
          short(s.status.lastSynced && s.status.lastSynced.sha),
          s.status.fetchedAtMillis ? ago(s.status.fetchedAtMillis) : '—',
          s.status.message || '',
        ])));
    });
  const el = h('section', {}, h('h1', {}, 'GitOps'), h('p', { class: 'hint' }, 'The git repositories the fleet follows.'), body);
  el.dataset.view = 'gitops';
  return { el, dispose: stop };
}

/** One source in full. */
export function gitopsSourcePage(store, name) {
  const body = h('div', {}, h('p', { class: 'empty' }, 'loading…'));
  const note = h('p', { class: 'hint', role: 'status' });
  const syncNow = h('button', { type: 'button' }, 'Sync now');
  syncNow.addEventListener('click', async () => {
    syncNow.disabled = true;
    try {
      const res = await request('POST', `/v1/gitops/sources/${encodeURIComponent(name)}/sync`);
      note.textContent = (await res.json()).message;
    } catch (e) {
      note.textContent = `Sync refused: ${e.message}`;
    } finally {
      syncNow.disabled = false;
    }
  });
  const stop = polled(
    () => json('GET', `/v1/gitops/sources/${encodeURIComponent(name)}`),
    (s, err) => {
      if (err) {
        body.replaceChildren(h('p', { class: 'empty', role: 'alert' }, err.status === 404 ? `No source named ${name}.` : `The source could not be read: ${err.message}`));
        return;
      }
      const st = s.status;
      const spec = s.spec;
      const parts = [
        h('dl', { class: 'facts' },
          h('dt', {}, 'Repository'), h('dd', {}, `${spec.repository} @ ${spec.revision || 'HEAD'}${spec.path ? ` (${spec.path})` : ''}`),
          h('dt', {}, 'Sync'), h('dd', {}, badge(st.sync), ' ', st.message || ''),
          h('dt', {}, 'Health'), h('dd', {}, badge(st.health), st.healthReason ? ` ${st.healthReason}` : ''),
          h('dt', {}, 'Fetched'), h('dd', {}, st.lastFetched ? `${short(st.lastFetched.sha)} ${st.lastFetched.message} (${st.lastFetched.author})` : '—', st.fetchError ? h('span', { class: 'error' }, ` ${st.fetchError}`) : ''),
          h('dt', {}, 'Synced'), h('dd', {}, st.lastSynced ? `${short(st.lastSynced.sha)} ${st.lastSynced.message}` : '—'),
          h('dt', {}, 'Options'), h('dd', {}, `every ${spec.interval || '30s'}${spec.prune ? ', prune' : ''}${spec.selfHeal ? ', selfHeal' : ''}${spec.suspend ? ', suspended' : ''}${s.webhook ? ', webhook' : ''}`)),
      ];
      if (st.errors.length) parts.push(h('h2', {}, 'Problems'), h('ul', { class: 'errors' }, ...st.errors.map((e) => h('li', {}, e))));
      if (st.workloads.length) {
        parts.push(h('h2', {}, 'Workloads'), table('Workloads of the source', ['Workload', 'Sync', 'Health', 'Detail'],
          st.workloads.map((w) => [workloadLink(w.name), badge(w.state), badge(w.health), [w.detail, w.healthReason].filter(Boolean).join('; ')])));
      }
      if (st.orphans.length) parts.push(h('p', {}, `Orphans (left the repository, prune is off): ${st.orphans.join(', ')}`));
      if (st.conflicts.length) parts.push(h('p', { class: 'error' }, `Conflicts: ${st.conflicts.join('; ')}`));
      if (st.history.length) {
        parts.push(h('h2', {}, 'Last syncs'), table('Sync history', ['Time', 'Commit', 'Trigger', 'Result', 'Took'],
          st.history.map((r) => [time(r.atMillis), short(r.sha), r.trigger, r.message || '', `${r.durationMillis} ms`])));
      }
      body.replaceChildren(...parts);
    });
  const el = h('section', {}, h('h1', {}, `Source ${name}`), syncNow, note, body);
  el.dataset.view = 'gitops-source';
  return { el, dispose: stop };
}

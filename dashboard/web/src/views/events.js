import { h } from '../dom.js';
import { time } from '../format.js';
import { VirtualTable } from '../vtable.js';
import { workloadLink, nodeLink, containerLink, state } from '../cells.js';

/** The events timeline, newest first, filterable by workload and node. */
export function eventsTable(store, { workload, node, container, maxRows = 14, filters = true } = {}) {
  const table = new VirtualTable({
    label: 'Events',
    maxRows,
    empty: 'no events in the last hour',
    columns: [
      { title: 'Time', width: '90px', render: (e) => time(e.timeMillis) },
      { title: 'Kind', width: '90px', render: (e) => e.kind },
      { title: 'What', width: '120px', render: (e) => state(what(e)) },
      { title: 'Workload', width: '150px', render: (e) => workloadLink(e.workload) },
      { title: 'Node', width: '120px', render: (e) => nodeLink(e.node) },
      { title: 'Container', width: '220px', render: (e) => (e.containerId ? containerLink(e.containerId) : '—') },
      { title: 'Detail', render: (e) => detail(e) },
    ],
    key: (e) => `${e.timeMillis}:${e.containerId || e.node}:${e.state}`,
  });
  const byWorkload = h('input', { type: 'search', placeholder: 'workload', 'aria-label': 'Filter events by workload', value: workload || '' });
  const byNode = h('input', { type: 'search', placeholder: 'node', 'aria-label': 'Filter events by node', value: node || '' });
  const refresh = () => {
    const w = byWorkload.value.trim();
    const n = byNode.value.trim();
    const rows = [];
    for (let i = store.events.length - 1; i >= 0; i--) {
      const e = store.events[i];
      if (w && e.workload !== w) continue;
      if (n && e.node !== n) continue;
      if (container && e.containerId !== container) continue;
      rows.push(e);
    }
    rows.sort((a, b) => b.timeMillis - a.timeMillis);
    table.setRows(rows);
  };
  byWorkload.addEventListener('input', refresh);
  byNode.addEventListener('input', refresh);
  refresh();
  const unsubscribe = store.subscribe((kind) => {
    if (kind === 'event' || kind === 'snapshot') refresh();
  });
  const el = h('div', { class: 'events' }, filters ? h('div', { class: 'filters' }, byWorkload, byNode) : null, table.el);
  el.dataset.view = 'events';
  return { el, dispose: unsubscribe };
}

/** A container running again after it exited is a restart, whatever the agent calls it. */
function what(e) {
  return e.kind === 'container' && e.state === 'running' && e.restarts > 0 ? 'restarted' : e.state;
}

function detail(e) {
  const parts = [];
  if (e.exitCode !== undefined && e.exitCode !== null) parts.push(`exit ${e.exitCode}`);
  if (e.restarts) parts.push(`restarts ${e.restarts}`);
  if (e.actor) parts.push(`by ${e.actor}`);
  if (e.message) parts.push(e.message);
  return parts.join(' · ');
}

export function eventsPage(store) {
  const t = eventsTable(store, { maxRows: 22 });
  return { el: h('section', {}, h('h1', {}, 'Events'), h('p', { class: 'hint' }, 'The last hour of the fleet: containers started and exited, placements, nodes lost, commands run.'), t.el), dispose: t.dispose };
}

import { h, everyFrame } from '../dom.js';
import { ago } from '../format.js';
import { cpuBar, labels, memoryBar, nodeStatus } from '../cells.js';
import { UsageCharts } from '../charts.js';
import { containersTable } from './overview.js';
import { eventsTable } from './events.js';

/** One node: capacity, lease, its containers, their summed usage, its events. */
export function nodePage(store, name, { connection }) {
  const facts = h('dl', { class: 'facts' });
  const containers = containersTable(store, { maxRows: 10, hide: ['node'] });
  const charts = new UsageCharts({ title: `node ${name}` });
  const events = eventsTable(store, { node: name, maxRows: 8, filters: false });
  const render = everyFrame(() => {
    const n = store.nodes.get(name);
    containers.setRows(store.containersOf({ node: name }));
    if (!n) {
      facts.replaceChildren(h('dt', {}, 'Status'), h('dd', {}, store.loaded ? 'not in the fleet' : 'loading…'));
      return;
    }
    facts.replaceChildren(...[
      ['Status', nodeStatus(n)], ['Lease', n.alive ? `expires ${ago(n.leaseExpiresAtMillis)}` : `ran out ${ago(n.leaseExpiresAtMillis)}`],
      ['CPU', cpuBar(n)], ['Memory', memoryBar(n)], ['Node API', n.apiAddress || '—'],
      ['Address', n.address || '—'], ['Pod subnet', n.podSubnet || '—'], ['Labels', labels(n.labels) || '—'],
    ].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  });
  render();
  const unsubscribe = store.subscribe(render);
  const tick = setInterval(render, 1000);
  const unsample = store.onSample((s) => s.node === name && charts.add(s));
  connection.watchSamples({ node: name });
  const el = h('section', { dataset: { view: 'node' } },
    h('h1', {}, 'Node ', h('span', { class: 'mono' }, name)), facts,
    h('h2', {}, 'Containers'), containers.el,
    h('h2', {}, 'Usage (its containers together)'), charts.el,
    h('h2', {}, 'Events'), events.el);
  return { el, dispose: () => { unsubscribe(); clearInterval(tick); unsample(); connection.watchSamples(null); charts.dispose(); events.dispose(); } };
}

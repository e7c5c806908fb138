import { h, everyFrame } from '../dom.js';
import { ports } from '../format.js';
import { nodeLink, state, workloadLink } from '../cells.js';
import { UsageCharts } from '../charts.js';
import { logsPanel } from './logs.js';
import { terminalPanel } from './terminal.js';
import { eventsTable } from './events.js';

/** One container: its state, logs, CPU and memory, a terminal, its events. */
export function containerPage(store, id, { connection }) {
  const facts = h('dl', { class: 'facts' });
  const charts = new UsageCharts({ title: id });
  const logs = logsPanel(id);
  const terminal = terminalPanel(id);
  const events = eventsTable(store, { container: id, maxRows: 6, filters: false });
  const render = everyFrame(() => {
    const c = store.containers.get(id);
    if (!c) {
      facts.replaceChildren(h('dt', {}, 'State'), h('dd', {}, store.loaded ? 'not in the fleet (removed?)' : 'loading…'));
      return;
    }
    facts.replaceChildren(...[
      ['State', state(c.state)], ['Workload', workloadLink(c.workload)], ['Node', nodeLink(c.node)],
      ['Restarts', String(c.restarts)], ['Exit code', c.exitCode ?? '—'], ['IP', c.ip || '—'],
      ['Ports', ports(c.ports) || '—'], ['Message', c.message || '—'],
    ].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  });
  render();
  const unsubscribe = store.subscribe(render);
  const unsample = store.onSample((s) => s.containerId === id && charts.add(s));
  connection.watchSamples({ container: id });
  const el = h('section', { dataset: { view: 'container' } },
    h('h1', {}, 'Container ', h('span', { class: 'mono' }, id)), facts,
    h('h2', {}, 'Usage'), charts.el,
    h('h2', {}, 'Logs'), logs.el,
    h('h2', {}, 'Terminal'), terminal.el,
    h('h2', {}, 'Events'), events.el);
  return {
    el,
    dispose: () => {
      unsubscribe(); unsample(); connection.watchSamples(null);
      charts.dispose(); logs.dispose(); terminal.dispose(); events.dispose();
    },
  };
}

import { h, everyFrame } from '../dom.js';
import { age, ago, ports } from '../format.js';
import { VirtualTable } from '../vtable.js';
import { containerLink, cpuBar, labels, memoryBar, nodeLink, nodeStatus, state, workloadLink } from '../cells.js';

const lease = (n) => (n.alive ? `renews, ${ago(n.leaseExpiresAtMillis)}` : `lost ${ago(n.leaseExpiresAtMillis)}`);

export function nodesTable(store, { maxRows = 8 } = {}) {
  const containers = (n) => String(store.tally().perNode.get(n.name) || 0);
  const table = new VirtualTable({
    label: 'Nodes',
    maxRows,
    empty: 'no nodes yet: start an agent (berth up runs one, berth agent joins another machine)',
    key: (n) => n.name,
    stamp: (n) => `${containers(n)}|${lease(n)}`, // leases renew in place; counts come from elsewhere
    columns: [
      { title: 'Node', width: '150px', render: (n) => nodeLink(n.name) },
      { title: 'Status', width: '70px', render: nodeStatus },
      { title: 'Lease', width: '110px', render: lease },
      { title: 'CPU', width: '200px', render: cpuBar },
      { title: 'Memory', width: '220px', render: memoryBar },
      { title: 'Containers', width: '90px', class: 'num', render: containers },
      { title: 'Labels', render: (n) => labels(n.labels) },
    ],
  });
  return table;
}

export function workloadsTable(store, { maxRows = 8 } = {}) {
  return new VirtualTable({
    label: 'Workloads',
    maxRows,
    empty: 'no workloads yet: berth apply -f examples/',
    key: (w) => w.name,
    stamp: (w) => `${store.running(w.name)}|${age(w.createdAtMillis)}`,
    columns: [
      { title: 'Workload', width: '180px', render: (w) => workloadLink(w.name) },
      { title: 'Image', render: (w) => w.spec.image },
      { title: 'Running / desired', width: '140px', class: 'num', render: (w) => `${store.running(w.name)} / ${w.spec.replicas ?? 1}` },
      { title: 'Generation', width: '100px', class: 'num', render: (w) => String(w.generation) },
      { title: 'Age', width: '90px', render: (w) => age(w.createdAtMillis) },
      { title: 'Scheduling', width: '220px', render: (w) => (w.status && w.status.reason ? w.status.reason : w.status ? `${w.status.placed} placed` : '—') },
    ],
  });
}

export function containersTable(store, { maxRows = 12, hide = [] } = {}) {
  const columns = [
    { id: 'id', title: 'Container', width: '230px', render: (c) => containerLink(c.containerId) },
    { id: 'workload', title: 'Workload', width: '150px', render: (c) => workloadLink(c.workload) },
    { id: 'node', title: 'Node', width: '120px', render: (c) => nodeLink(c.node) },
    { id: 'state', title: 'State', width: '90px', render: (c) => state(c.state) },
    { id: 'restarts', title: 'Restarts', width: '80px', class: 'num', render: (c) => String(c.restarts) },
    { id: 'exit', title: 'Exit', width: '60px', class: 'num', render: (c) => (c.exitCode ?? '—') },
    { id: 'ip', title: 'IP', width: '120px', render: (c) => c.ip || '—' },
    { id: 'ports', title: 'Ports', render: (c) => ports(c.ports) },
  ].filter((c) => !hide.includes(c.id));
  return new VirtualTable({ label: 'Containers', maxRows, empty: 'no containers', key: (c) => c.containerId, columns });
}

export function overviewPage(store) {
  const counts = h('dl', { class: 'counts' });
  const nodes = nodesTable(store);
  const workloads = workloadsTable(store);
  const containers = containersTable(store);
  const filter = h('input', { type: 'search', placeholder: 'filter containers', 'aria-label': 'Filter containers' });
  let shownCounts = '';
  const render = everyFrame(() => {
    const all = [...store.nodes.values()];
    const alive = all.filter((n) => n.alive).length;
    const cs = [...store.containers.values()];
    const t = store.tally();
    const values = [`${alive} / ${all.length}`, String(store.workloads.size), `${t.running} / ${cs.length}`, String(t.failed)];
    if (values.join('\n') !== shownCounts) {
      shownCounts = values.join('\n');
      counts.replaceChildren(
        count('Nodes', values[0], 'ready / known'),
        count('Workloads', values[1]),
        count('Containers', values[2], 'running / known'),
        count('Failed', values[3]),
      );
    }
    nodes.setRows(all);
    workloads.setRows([...store.workloads.values()]);
    const q = filter.value.trim();
    containers.setRows(q ? cs.filter((c) => c.containerId.includes(q) || c.workload === q || c.node === q) : cs);
  });
  filter.addEventListener('input', render);
  render();
  const unsubscribe = store.subscribe(render);
  const tick = setInterval(render, 1000); // lease ages and workload ages move with the clock
  const el = h('section', { dataset: { view: 'overview' } },
    h('h1', {}, 'Fleet'),
    counts,
    h('h2', {}, 'Nodes'), nodes.el,
    h('h2', {}, 'Workloads'), workloads.el,
    h('div', { class: 'row-title' }, h('h2', {}, 'Containers'), filter), containers.el);
  return { el, dispose: () => { unsubscribe(); clearInterval(tick); } };
}

function count(label, value, title) {
  return h('div', { class: 'count', title }, h('dt', {}, label), h('dd', {}, value));
}

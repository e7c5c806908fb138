import { h } from './dom.js';
import { bytes, cpu } from './format.js';

export const link = (href, text) => h('a', { href }, text);
export const workloadLink = (name) => (name ? link(`#/workloads/${encodeURIComponent(name)}`, name) : '—');
export const nodeLink = (name) => (name ? link(`#/nodes/${encodeURIComponent(name)}`, name) : '—');
export const containerLink = (id) => link(`#/containers/${encodeURIComponent(id)}`, id);

export function state(s) {
  return h('span', { class: `badge state-${s}` }, s);
}

export function nodeStatus(n) {
  return n.alive ? h('span', { class: 'badge state-running' }, 'ready') : h('span', { class: 'badge state-failed' }, 'lost');
}

/** A bar: allocatable as a share of capacity, its text saying both. */
export function bar(capacity, allocatable, format) {
  const pct = capacity > 0 ? Math.round((100 * allocatable) / capacity) : 0;
  return h('span', { class: 'bar', title: `${format(allocatable)} allocatable of ${format(capacity)}` },
    h('span', { class: 'bar-track' }, h('span', { class: 'bar-fill', style: `width:${pct}%` })),
    h('span', { class: 'bar-text' }, `${format(allocatable)} / ${format(capacity)}`));
}

export const cpuBar = (n) => bar(n.cpuMillis, n.allocatableCpuMillis, cpu);
export const memoryBar = (n) => bar(n.memoryBytes, n.allocatableMemoryBytes, bytes);

export function labels(map) {
  const entries = Object.entries(map || {});
  if (!entries.length) return '';
  return entries.map(([k, v]) => h('span', { class: 'chip' }, `${k}=${v}`));
}

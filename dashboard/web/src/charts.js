import uPlot from 'uplot';
import { h } from './dom.js';
import { bytes } from './format.js';

export const HISTORY_MILLIS = 5 * 60 * 1000;

// CPU (cores, from successive cumulative CPU times) and memory charts of one or more containers'
// samples, a few minutes kept in the page.
export class UsageCharts {
  constructor({ title }) {
    this.last = new Map(); // containerId -> last sample (for CPU rates)
    this.points = []; // [time s, cores, memory bytes, limit bytes]
    this.byTime = new Map();
    this.cpu = null;
    this.mem = null;
    this.cpuBox = h('div', { class: 'chart', role: 'img', 'aria-label': `${title}: CPU in cores` });
    this.memBox = h('div', { class: 'chart', role: 'img', 'aria-label': `${title}: memory` });
    this.status = h('p', { class: 'hint' }, 'waiting for the first samples (the agent takes one every 2 s)…');
    this.el = h('div', { class: 'charts' }, this.status,
      h('figure', {}, h('figcaption', {}, 'CPU (cores)'), this.cpuBox),
      h('figure', {}, h('figcaption', {}, 'Memory'), this.memBox));
  }

  add(sample) {
    const prev = this.last.get(sample.containerId);
    this.last.set(sample.containerId, sample);
    const t = Math.round(sample.timeMillis / 1000);
    let p = this.byTime.get(t);
    if (!p) {
      p = [t, null, 0, 0, new Set()];
      this.byTime.set(t, p);
      this.points.push(p);
    }
    if (p[4].has(sample.containerId)) return;
    p[4].add(sample.containerId);
    if (prev && sample.timeMillis > prev.timeMillis) {
      const cores = (sample.cpuNanos - prev.cpuNanos) / 1e6 / (sample.timeMillis - prev.timeMillis);
      p[1] = (p[1] || 0) + Math.max(0, cores);
    }
    p[2] += sample.memoryBytes;
    p[3] += sample.memoryLimitBytes;
    const cutoff = (Date.now() - HISTORY_MILLIS) / 1000;
    while (this.points.length && this.points[0][0] < cutoff) this.byTime.delete(this.points.shift()[0]);
    this.draw();
  }

  draw() {
    if (!this.el.isConnected) return;
    this.status.hidden = true;
    const xs = this.points.map((p) => p[0]);
    const width = Math.max(300, Math.floor(this.cpuBox.getBoundingClientRect().width) || 500);
    const cpuData = [xs, this.points.map((p) => p[1])];
    const limits = this.points.map((p) => (p[3] > 0 ? p[3] : null));
    const memData = [xs, this.points.map((p) => p[2]), limits];
    if (!this.cpu) {
      this.cpu = new uPlot({ width, height: 160, series: [{}, { label: 'cores', stroke: '#0b5cab', fill: 'rgba(11,92,171,.1)', spanGaps: true }], axes: [{}, { size: 60, values: (u, vals) => vals.map((v) => (v < 0.01 ? v.toPrecision(2) : v.toFixed(2))) }] }, cpuData, this.cpuBox);
      this.mem = new uPlot({
        width, height: 160,
        series: [{}, { label: 'in use', stroke: '#1a7f37', fill: 'rgba(26,127,55,.1)', value: (u, v) => bytes(v) },
          { label: 'limit', stroke: '#cf222e', dash: [4, 4], value: (u, v) => (v == null ? 'none' : bytes(v)) }],
        axes: [{}, { size: 70, values: (u, vals) => vals.map((v) => bytes(v)) }],
      }, memData, this.memBox);
    } else {
      this.cpu.setData(cpuData);
      this.mem.setData(memData);
    }
  }

  dispose() {
    if (this.cpu) this.cpu.destroy();
    if (this.mem) this.mem.destroy();
  }
}

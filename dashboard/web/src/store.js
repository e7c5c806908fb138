// The fleet as the watch stream tells it: a snapshot, then changes. Views subscribe to it.

export const MAX_EVENTS = 10000;

export class FleetStore {
  constructor() {
    this.nodes = new Map();
    this.workloads = new Map();
    this.containers = new Map();
    this.events = [];
    this.leases = new Map();
    this.loaded = false;
    this.version = 0; // bumped by every container change: what tally() is current for
    this.listeners = new Set();
    this.sampleListeners = new Set();
  }

  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onSample(fn) {
    this.sampleListeners.add(fn);
    return () => this.sampleListeners.delete(fn);
  }

  emit(kind, key, value) {
    for (const fn of this.listeners) fn(kind, key, value);
  }

  apply(msg) {
    switch (msg.type) {
      case 'snapshot':
        this.nodes = new Map(msg.nodes.map((n) => [n.name, n]));
        this.workloads = new Map(msg.workloads.map((w) => [w.name, w]));
        this.containers = new Map(msg.containers.map((c) => [c.containerId, c]));
        this.events = msg.events.slice(-MAX_EVENTS);
        this.loaded = true;
        this.emit('snapshot');
        break;
      case 'node':
      case 'workload':
      case 'container': {
        const map = this[`${msg.type}s`];
        if (msg.op === 'delete') map.delete(msg.key);
        else map.set(msg.key, msg.value);
        if (msg.type === 'container') this.version++;
        this.emit(msg.type, msg.key, msg.value);
        break;
      }
      case 'event':
        this.events.push(msg.value);
        if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
        this.emit('event', null, msg.value);
        break;
      case 'leases':
        for (const [name, at] of Object.entries(msg.leases)) {
          const n = this.nodes.get(name);
          if (n) n.leaseExpiresAtMillis = at;
        }
        this.emit('leases');
        break;
      case 'sample':
        for (const fn of this.sampleListeners) fn(msg.value);
        break;
      default:
        break;
    }
  }

  /**
   * Counts over all containers (running, failed, per node, running per workload), computed once
   * after each change to the containers however many views ask.
   */
  tally() {
    if (this.counted && this.counted.of === this.containers && this.counted.version === this.version) return this.counted;
    const t = { of: this.containers, version: this.version, running: 0, failed: 0, perNode: new Map(), runningPer: new Map() };
    for (const c of this.containers.values()) {
      if (c.state === 'running') {
        t.running++;
        t.runningPer.set(c.workload, (t.runningPer.get(c.workload) || 0) + 1);
      } else if (c.state === 'failed') t.failed++;
      if (c.node) t.perNode.set(c.node, (t.perNode.get(c.node) || 0) + 1);
    }
    this.counted = t;
    return t;
  }

  containersOf({ workload, node }) {
    const out = [];
    for (const c of this.containers.values()) {
      if (workload && c.workload !== workload) continue;
      if (node && c.node !== node) continue;
      out.push(c);
    }
    return out.sort((a, b) => a.containerId.localeCompare(b.containerId));
  }

  running(workload) {
    return this.tally().runningPer.get(workload) || 0;
  }
}

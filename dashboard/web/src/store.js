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
    let n = 0;
    for (const c of this.containers.values()) if (c.workload === workload && c.state === 'running') n++;
    return n;
  }
}

// One WebSocket to /v1/watch: signs in with the first message, reconnects with backoff, and says
// so in the header while it is down.

export class FleetConnection {
  constructor(store, { token, onStatus, onRefused }) {
    this.store = store;
    this.token = token;
    this.onStatus = onStatus;
    this.onRefused = onRefused;
    this.backoff = 500;
    this.samples = null;
    this.stopped = false;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    if (this.ws) this.ws.close(1000);
  }

  open() {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${proto}://${location.host}/v1/watch`);
    this.ws = ws;
    this.onStatus(this.everConnected ? 'reconnecting' : 'connecting');
    ws.onopen = () => {
      ws.send(JSON.stringify({ token: this.token }));
    };
    ws.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.type === 'snapshot') {
        this.backoff = 500;
        this.everConnected = true;
        this.onStatus('live');
        if (this.samples) ws.send(JSON.stringify({ samples: this.samples }));
      }
      this.store.apply(msg);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws || this.stopped) return;
      if (e.code === 1008) {
        this.onRefused(e.reason || 'the token was refused');
        return;
      }
      const wait = this.backoff;
      this.backoff = Math.min(this.backoff * 2, 5000);
      this.onStatus('lost', wait);
      this.retry = setTimeout(() => this.open(), wait);
    };
  }

  /** Asks for the samples of one container ({container}) or node ({node}), or none (null). */
  watchSamples(what) {
    this.samples = what;
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ samples: what }));
  }
}

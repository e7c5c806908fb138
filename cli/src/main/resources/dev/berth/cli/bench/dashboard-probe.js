// Injected by `berth bench dashboard` before the dashboard's own scripts: measures from inside the
// page when the overview first shows the whole fleet, and when each container row's restart count
// changes in the DOM (a MutationObserver, timed on the epoch clock the bench writes changes with).
(() => {
  const expected = __CONTAINERS__;
  const epochNow = () => performance.timeOrigin + performance.now();
  const probe = { renderedAt: null, seen: {}, frames: [], longTasks: [], applied: 0 };
  window.__benchProbe = probe;
  const rows = "[data-view='overview'] [aria-label='Containers'] .vt-row";
  // Where the first render's time goes: the watch socket's opening and its first message.
  const Socket = window.WebSocket;
  window.WebSocket = class extends Socket {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => { probe.socketOpen ??= performance.now(); });
      this.addEventListener('message', () => { probe.snapshotReceived ??= performance.now(); });
    }
  };
  new MutationObserver(() => {
    const at = epochNow();
    if (probe.renderedAt === null) {
      const counts = [...document.querySelectorAll("[data-view='overview'] .count")];
      const containers = counts.find((c) => c.querySelector('dt')?.textContent === 'Containers');
      const shown = containers?.querySelector('dd')?.textContent || '';
      if (shown.endsWith(`/ ${expected}`) && document.querySelector(rows)) probe.renderedAt = performance.now();
    }
    for (const row of document.querySelectorAll(rows)) {
      const restarts = row.children[4]?.textContent;
      const list = probe.seen[row.dataset.key] || (probe.seen[row.dataset.key] = []);
      if (!list.length || list[list.length - 1][0] !== restarts) list.push([restarts, at]);
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) probe.longTasks.push([performance.timeOrigin + e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  // Frames are counted only while asked: a frame loop keeps the page painting even when idle.
  let counting = false;
  const frame = () => {
    if (!counting) return;
    probe.frames.push(epochNow());
    requestAnimationFrame(frame);
  };
  probe.countFrames = (on) => {
    if (on && !counting) requestAnimationFrame(frame);
    counting = on;
  };
  // Every container change the page's store applies, once the app has made its store.
  const hook = setInterval(() => {
    if (!window.berth || !window.berth.store) return;
    clearInterval(hook);
    window.berth.store.subscribe((kind) => { if (kind === 'container') probe.applied++; });
  }, 5);
})();

import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { h } from '../dom.js';
import { token } from '../api.js';

/**
 * A terminal in the container: xterm.js over the exec WebSocket (docs/api.md): the first message
 * signs in and says what to run at what size, then keystrokes go as binary frames, output comes
 * as binary frames, a resize as {"resize": {...}}, and the end as {"exit": code}.
 */
export function terminalPanel(id) {
  const command = h('input', { type: 'text', value: '/bin/sh', 'aria-label': 'Command to run', class: 'mono' });
  const open = h('button', { type: 'button', class: 'primary' }, 'Open terminal');
  const status = h('span', { class: 'hint', role: 'status' });
  const screen = h('div', { class: 'terminal', hidden: true });
  let term = null;
  let ws = null;
  let observer = null;

  const close = () => {
    if (ws) ws.close(1000);
    ws = null;
  };

  open.addEventListener('click', () => {
    close();
    if (term) term.dispose();
    screen.hidden = false;
    term = new Terminal({ cursorBlink: true, fontSize: 13, convertEol: false, scrollback: 2000 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(screen);
    if (window.berth) window.berth.terminal = term; // what the browser tests read
    fit.fit();
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${proto}://${location.host}/v1/containers/${encodeURIComponent(id)}/exec/tty`);
    socket.binaryType = 'arraybuffer';
    ws = socket;
    let ended = null;
    status.textContent = 'connecting…';
    socket.onopen = () => {
      socket.send(JSON.stringify({ token: token(), command: command.value.trim().split(/\s+/), cols: term.cols, rows: term.rows }));
      status.textContent = 'connected';
      term.focus();
    };
    socket.onmessage = (m) => {
      if (typeof m.data === 'string') {
        const msg = JSON.parse(m.data);
        if (msg.exit !== undefined) ended = `exited with ${msg.exit}`;
        if (msg.error) ended = msg.error;
        if (ended) status.textContent = ended;
      } else {
        term.write(new Uint8Array(m.data));
      }
    };
    socket.onclose = (e) => {
      if (ws === socket && !ended) status.textContent = `closed${e.reason ? `: ${e.reason}` : ''}`;
    };
    const encoder = new TextEncoder();
    term.onData((d) => socket.readyState === WebSocket.OPEN && socket.send(encoder.encode(d)));
    term.onResize(({ cols, rows }) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify({ resize: { cols, rows } })));
    if (observer) observer.disconnect();
    observer = new ResizeObserver(() => fit.fit());
    observer.observe(screen);
  });

  const el = h('div', { class: 'panel', dataset: { panel: 'terminal' } },
    h('div', { class: 'toolbar' }, command, open, status), screen);
  return { el, dispose: () => { close(); if (observer) observer.disconnect(); if (term) term.dispose(); } };
}

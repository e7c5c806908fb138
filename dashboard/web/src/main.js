import './style.css';
import { signIn, signOut, takeTokenFromAddress, token } from './api.js';
import { FleetStore } from './store.js';
import { FleetConnection } from './connection.js';
import { overviewPage } from './views/overview.js';
import { eventsPage } from './views/events.js';
import { workloadPage } from './views/workload.js';
import { containerPage } from './views/container.js';
import { nodePage } from './views/node.js';
import { loginPage } from './views/login.js';

// The page: one store fed by one watch connection, and a view per address (#/..., no reload).
const main = document.getElementById('main');
const conn = document.getElementById('conn');
const signout = document.getElementById('signout');
const store = new FleetStore();
window.berth = { store }; // for the browser tests and benchmarks to read
let connection = null;
let current = null;

function status(state, wait) {
  conn.dataset.state = state;
  conn.textContent = {
    connecting: 'connecting…',
    live: 'live',
    lost: `connection lost: reconnecting in ${Math.ceil((wait || 0) / 1000)} s…`,
    reconnecting: 'reconnecting…',
  }[state];
}

function navigate(hash) {
  location.hash = hash;
}

function show(view) {
  if (current) current.dispose();
  current = view;
  main.replaceChildren(view.el);
}

function route() {
  if (!token()) {
    signout.hidden = true;
    show(loginPage({ message: route.message, onToken: (t) => { signIn(t); route.message = ''; connect(); route(); } }));
    return;
  }
  signout.hidden = false;
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const ctx = { navigate, connection };
  if (parts[0] === 'events') show(eventsPage(store));
  else if (parts[0] === 'workloads' && parts[1]) show(workloadPage(store, parts[1], ctx));
  else if (parts[0] === 'containers' && parts[1]) show(containerPage(store, parts[1], ctx));
  else if (parts[0] === 'nodes' && parts[1]) show(nodePage(store, parts[1], ctx));
  else show(overviewPage(store));
  document.title = `Berth · ${parts[0] ? `${parts[0]} ${parts[1] || ''}` : 'fleet'}`;
  for (const a of document.querySelectorAll('header nav a')) {
    a.setAttribute('aria-current', a.getAttribute('href') === `#/${parts[0] === 'events' ? 'events' : ''}` ? 'page' : 'false');
  }
}

function refused(reason) {
  signOut();
  if (connection) connection.stop();
  connection = null;
  route.message = `Signed out: ${reason}.`;
  route();
}

function connect() {
  if (connection) connection.stop();
  connection = new FleetConnection(store, { token: token(), onStatus: status, onRefused: refused });
  window.berth.connection = connection;
  connection.start();
}

takeTokenFromAddress();
window.addEventListener('hashchange', route);
window.addEventListener('berth:unauthorized', () => refused('the token is no longer valid'));
signout.addEventListener('click', () => refused('you signed out'));
if (token()) connect();
route();

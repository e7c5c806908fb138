import './style.css';
import '@xterm/xterm/css/xterm.css'; // the terminal's and the charts' styles load with the page:
import 'uplot/dist/uPlot.min.css'; // CSS that a lazily loaded chunk imports would not
import { signIn, signOut, takeTokenFromAddress, token } from './api.js';
import { FleetStore } from './store.js';
import { FleetConnection } from './connection.js';
import { overviewPage } from './views/overview.js';
import { eventsPage } from './views/events.js';
import { loginPage } from './views/login.js';
import { h } from './dom.js';

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

// Pages the overview does not need are fetched when first opened (their own chunks).
const pages = {
  workloads: () => import('./views/workload.js').then((m) => m.workloadPage),
  containers: () => import('./views/container.js').then((m) => m.containerPage),
  nodes: () => import('./views/node.js').then((m) => m.nodePage),
  gitops: () => import('./views/gitops.js').then((m) => m.gitopsSourcePage),
};
let routing = 0;

async function route() {
  const mine = ++routing;
  if (!token()) {
    signout.hidden = true;
    show(loginPage({ message: route.message, onToken: (t) => { signIn(t); route.message = ''; connect(); route(); } }));
    return;
  }
  signout.hidden = false;
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const ctx = { navigate, connection };
  if (parts[0] === 'events') show(eventsPage(store));
  else if (parts[0] === 'gitops' && !parts[1]) {
    const m = await import('./views/gitops.js');
    if (mine !== routing) return;
    show(m.gitopsListPage());
  }
  else if (pages[parts[0]] && parts[1]) {
    let page;
    try {
      page = await pages[parts[0]]();
    } catch (e) {
      main.replaceChildren(h('p', { class: 'empty', role: 'alert' }, `This page could not be loaded (${e.message}): reload to try again.`));
      return;
    }
    if (mine !== routing) return; // the address changed while the page's code came
    show(page(store, parts[1], ctx));
  } else show(overviewPage(store));
  document.title = `Berth · ${parts[0] ? `${parts[0]} ${parts[1] || ''}` : 'fleet'}`;
  for (const a of document.querySelectorAll('header nav a')) {
    a.setAttribute('aria-current', a.getAttribute('href') === `#/${['events', 'gitops'].includes(parts[0]) ? parts[0] : ''}` ? 'page' : 'false');
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

// The REST API, with the signed-in token (kept for this tab only, in sessionStorage).

const KEY = 'berth.token';

export function token() {
  return sessionStorage.getItem(KEY);
}

export function signIn(t) {
  sessionStorage.setItem(KEY, t);
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

/** A token passed in the address (#token=...): taken in and removed from the address at once. */
export function takeTokenFromAddress() {
  const m = location.hash.match(/[#&]token=([^&]+)/);
  if (!m) return;
  signIn(decodeURIComponent(m[1]));
  history.replaceState(null, '', `${location.pathname}#/`);
}

export class ApiError extends Error {
  constructor(status, body) {
    super((body && (body.error || body.message)) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

export async function request(method, path, { body, type, accept, signal } = {}) {
  const headers = { Authorization: `Bearer ${token()}` };
  if (type) headers['Content-Type'] = type;
  if (accept) headers.Accept = accept;
  const res = await fetch(path, { method, headers, body, signal });
  if (!res.ok) {
    let parsed = null;
    try {
      parsed = await res.json();
    } catch (e) {
      parsed = null;
    }
    if (res.status === 401) window.dispatchEvent(new CustomEvent('berth:unauthorized'));
    throw new ApiError(res.status, parsed);
  }
  return res;
}

export async function json(method, path, options) {
  const res = await request(method, path, options);
  return res.json();
}

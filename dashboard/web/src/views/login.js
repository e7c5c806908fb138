import { h } from '../dom.js';

/** Sign in with an API token (berth token create NAME --role viewer|operator|admin). */
export function loginPage({ message, onToken }) {
  const input = h('input', { type: 'password', id: 'token', autocomplete: 'off', required: true, class: 'wide' });
  const error = h('p', { class: 'error', role: 'alert' }, message || '');
  const form = h('form', { class: 'login', 'aria-label': 'Sign in' },
    h('h1', {}, 'Sign in to Berth'),
    h('p', {}, 'Paste an API token. ', h('code', {}, 'berth dashboard'), ' prints a sign-in link for the admin token; ',
      h('code', {}, 'berth token create NAME --role viewer'), ' makes one for someone who only looks.'),
    h('label', { for: 'token' }, 'API token'), input,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'), error);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const t = input.value.trim();
    const res = await fetch('/v1/workloads', { headers: { Authorization: `Bearer ${t}` } });
    if (res.ok) onToken(t);
    else error.textContent = res.status === 401 ? 'That token is not valid (unknown, revoked or expired).' : `The API answered ${res.status}.`;
  });
  setTimeout(() => input.focus(), 0);
  return { el: h('section', { dataset: { view: 'login' } }, form), dispose: () => {} };
}

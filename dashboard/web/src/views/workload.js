import { stringify } from 'yaml';
import { h, clear, everyFrame } from '../dom.js';
import { age } from '../format.js';
import { json, request, ApiError } from '../api.js';
import { lineOf, syntaxError } from '../yamlErrors.js';
import { containersTable } from './overview.js';
import { eventsTable } from './events.js';

/** One workload: its spec as YAML edited in place, scale, delete, its containers and events. */
export function workloadPage(store, name, { navigate }) {
  const title = h('h1', {}, 'Workload ', h('span', { class: 'mono' }, name));
  const facts = h('dl', { class: 'facts' });
  const replicas = h('input', { type: 'number', min: '0', max: '1000', id: 'scale-replicas', 'aria-label': 'Replicas', class: 'narrow' });
  const scaleButton = h('button', { type: 'submit' }, 'Scale');
  const scaleForm = h('form', { class: 'inline', 'aria-label': 'Scale' }, h('label', { for: 'scale-replicas' }, 'Replicas '), replicas, scaleButton);
  const deleteButton = h('button', { type: 'button', class: 'danger' }, 'Delete…');
  const notice = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  const gutter = h('pre', { class: 'gutter', 'aria-hidden': 'true' });
  const editor = h('textarea', { class: 'yaml', spellcheck: 'false', 'aria-label': 'Workload spec (YAML)', rows: '18', id: 'spec-yaml' });
  const errors = h('ul', { class: 'errors', role: 'alert', 'aria-live': 'assertive' });
  const applyButton = h('button', { type: 'button', class: 'primary' }, 'Apply');
  const resetButton = h('button', { type: 'button' }, 'Revert');
  const containers = containersTable(store, { maxRows: 8, hide: ['workload'] });
  const events = eventsTable(store, { workload: name, maxRows: 8, filters: false });
  let loadedGeneration = null;
  let dirty = false;

  const showFacts = () => {
    const w = store.workloads.get(name);
    if (!w) {
      facts.replaceChildren(h('dt', {}, 'Status'), h('dd', {}, store.loaded ? 'not found (deleted?)' : 'loading…'));
      return;
    }
    facts.replaceChildren(...[
      fact('Image', w.spec.image),
      fact('Running / desired', `${store.running(name)} / ${w.spec.replicas ?? 1}`),
      fact('Generation', String(w.generation)),
      fact('Age', age(w.createdAtMillis)),
      fact('Scheduling', w.status ? (w.status.reason || `${w.status.placed} placed`) : '—'),
    ].flat());
    if (document.activeElement !== replicas) replicas.value = String(w.spec.replicas ?? 1);
    if (!dirty && loadedGeneration !== w.generation) loadSpec(w);
  };

  const loadSpec = (w) => {
    loadedGeneration = w.generation;
    editor.value = stringify(w.spec);
    numberLines();
    clear(errors);
  };

  const numberLines = (marked = new Map()) => {
    const n = editor.value.split('\n').length;
    const lines = [];
    for (let i = 1; i <= n; i++) lines.push(marked.has(i) ? `▶${i}` : String(i));
    gutter.textContent = lines.join('\n');
    gutter.scrollTop = editor.scrollTop;
  };

  const showErrors = (list) => {
    clear(errors);
    const marked = new Map();
    for (const e of list) {
      const line = e.line ?? lineOf(editor.value, e.path);
      if (line) marked.set(line, e);
      errors.append(h('li', { dataset: { field: e.path || '', line: line || '' } },
        line ? h('button', { type: 'button', class: 'link', onclick: () => goToLine(line) }, `line ${line}`) : null,
        line ? ': ' : '', h('strong', {}, e.path || 'spec'), ` ${e.message}`));
    }
    numberLines(marked);
  };

  const goToLine = (line) => {
    const lines = editor.value.split('\n');
    let start = 0;
    for (let i = 0; i < line - 1; i++) start += lines[i].length + 1;
    editor.focus();
    editor.setSelectionRange(start, start + (lines[line - 1] || '').length);
  };

  const apply = async (body, type) => {
    notice.textContent = '';
    try {
      const r = await json('PUT', '/v1/workloads', { body, type });
      dirty = false;
      clear(errors);
      notice.textContent = r.outcome === 'unchanged' ? 'No change.' : `Applied: generation ${r.generation}.`;
      loadSpec({ generation: r.generation, spec: r.spec });
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.body.errors) {
        showErrors(e.body.errors);
        notice.textContent = 'The server refused the spec; nothing changed.';
      } else {
        notice.textContent = `Apply failed: ${e.message}`;
      }
      return false;
    }
  };

  editor.addEventListener('input', () => { dirty = true; numberLines(); });
  editor.addEventListener('scroll', () => { gutter.scrollTop = editor.scrollTop; });
  applyButton.addEventListener('click', () => {
    const syntax = syntaxError(editor.value);
    if (syntax) {
      showErrors([{ path: '(yaml)', line: syntax.line, message: syntax.message }]);
      notice.textContent = 'Not valid YAML; nothing sent.';
      return;
    }
    apply(editor.value, 'application/yaml');
  });
  resetButton.addEventListener('click', () => {
    dirty = false;
    const w = store.workloads.get(name);
    if (w) loadSpec(w);
  });
  scaleForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const w = store.workloads.get(name);
    if (!w) return;
    const n = Number(replicas.value);
    const spec = { ...w.spec, replicas: n };
    if (await apply(JSON.stringify(spec), 'application/json')) notice.textContent = `Scaled to ${n}.`;
  });
  const dialog = h('dialog', { class: 'confirm', 'aria-label': 'Delete workload' },
    h('form', { method: 'dialog' },
      h('p', {}, 'Delete workload ', h('strong', {}, name), '? Its containers are stopped and removed on every node.'),
      h('div', { class: 'actions' },
        h('button', { value: 'cancel', autofocus: true }, 'Cancel'),
        h('button', { value: 'delete', class: 'danger' }, 'Delete'))));
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue !== 'delete') return;
    try {
      await request('DELETE', `/v1/workloads/${encodeURIComponent(name)}`);
      navigate('#/');
    } catch (e) {
      notice.textContent = `Delete failed: ${e.message}`;
    }
  });
  deleteButton.addEventListener('click', () => dialog.showModal());

  const render = everyFrame(() => {
    showFacts();
    containers.setRows(store.containersOf({ workload: name }));
  });
  render();
  const unsubscribe = store.subscribe(render);
  const el = h('section', { dataset: { view: 'workload' } },
    title, facts, h('div', { class: 'toolbar' }, scaleForm, deleteButton), notice,
    h('h2', {}, 'Spec'),
    h('div', { class: 'editor' }, gutter, editor),
    errors,
    h('div', { class: 'toolbar' }, applyButton, resetButton),
    h('h2', {}, 'Containers'), containers.el,
    h('h2', {}, 'Events'), events.el, dialog);
  return { el, dispose: () => { unsubscribe(); events.dispose(); } };
}

function fact(k, v) {
  return [h('dt', {}, k), h('dd', {}, v)];
}

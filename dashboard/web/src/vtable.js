import { h, everyFrame } from './dom.js';

// A table that renders only the rows in view, so 10,000 rows cost what 30 do. Rows are fixed
// height; the body scrolls inside a box of at most maxRows rows. A row's element is kept while its
// data (the same object) and its stamp (what else its cells show: a count, a relative time) stay
// the same, so a change to one container rebuilds one row, not the table.
export class VirtualTable {
  constructor({ columns, rowHeight = 30, maxRows = 12, empty = 'nothing here', label, key, stamp }) {
    this.columns = columns;
    this.rowHeight = rowHeight;
    this.maxRows = maxRows;
    this.emptyText = empty;
    this.key = key || ((r, i) => i);
    this.stamp = stamp || (() => '');
    this.rows = [];
    this.shown = []; // what the spacer holds, in order: {key, row, stamp, index, el}
    this.sizes = '';
    const head = h('div', { class: 'vt-head', role: 'row' },
      columns.map((c) => h('div', { class: `vt-cell ${c.class || ''}`, role: 'columnheader', style: cellStyle(c) }, c.title)));
    this.spacer = h('div', { class: 'vt-spacer' });
    this.body = h('div', { class: 'vt-body', role: 'rowgroup', tabindex: '0' }, this.spacer);
    this.body.addEventListener('scroll', () => this.render());
    this.empty = h('p', { class: 'empty', hidden: true });
    this.el = h('div', { class: 'vt', role: 'table', 'aria-label': label }, head, this.body, this.empty);
    this.schedule = everyFrame(() => this.render());
  }

  setRows(rows) {
    this.rows = rows;
    this.schedule();
  }

  render() {
    const scrollTop = this.body.scrollTop; // read before writing: no layout forced mid-frame
    const n = this.rows.length;
    const sizes = `${n}`;
    if (sizes !== this.sizes) {
      this.sizes = sizes;
      this.empty.textContent = n ? '' : this.emptyText;
      this.empty.hidden = n > 0;
      this.body.style.height = `${Math.max(Math.min(n, this.maxRows), n ? 1 : 0) * this.rowHeight}px`;
      this.spacer.style.height = `${n * this.rowHeight}px`;
    }
    const first = Math.max(0, Math.floor(scrollTop / this.rowHeight) - 2);
    const last = Math.min(n, first + this.maxRows + 4);
    const before = new Map(this.shown.map((s) => [s.key, s]));
    const next = [];
    for (let i = first; i < last; i++) {
      const row = this.rows[i];
      const key = this.key(row, i);
      const stamp = this.stamp(row);
      const kept = before.get(key);
      if (kept && kept.row === row && kept.stamp === stamp) {
        before.delete(key); // a key shown twice gets a second element
        if (kept.index !== i) {
          kept.index = i;
          kept.el.style.top = `${i * this.rowHeight}px`;
        }
        next.push(kept);
      } else {
        next.push({ key, row, stamp, index: i, el: this.rowElement(row, i, key) });
      }
    }
    const sameKeys = next.length === this.shown.length && next.every((s, j) => s.key === this.shown[j].key);
    if (sameKeys) {
      // the same rows in the same places: swap only the rebuilt ones
      next.forEach((s, j) => { if (s !== this.shown[j]) this.shown[j].el.replaceWith(s.el); });
    } else {
      this.spacer.replaceChildren(...next.map((s) => s.el));
    }
    this.shown = next;
  }

  rowElement(row, i, key) {
    return h('div', {
      class: 'vt-row', role: 'row', style: `top:${i * this.rowHeight}px;height:${this.rowHeight}px`,
      dataset: { key: String(key) },
    }, this.columns.map((c) => h('div', { class: `vt-cell ${c.class || ''}`, role: 'cell', style: cellStyle(c) }, c.render(row))));
  }
}

function cellStyle(c) {
  return c.width ? `flex:0 0 ${c.width}` : 'flex:1 1 0';
}

import { h, clear, everyFrame } from './dom.js';

// A table that renders only the rows in view, so 10,000 rows cost what 30 do. Rows are fixed
// height; the body scrolls inside a box of at most maxRows rows.
export class VirtualTable {
  constructor({ columns, rowHeight = 30, maxRows = 12, empty = 'nothing here', label, key }) {
    this.columns = columns;
    this.rowHeight = rowHeight;
    this.maxRows = maxRows;
    this.emptyText = empty;
    this.key = key;
    this.rows = [];
    const head = h('div', { class: 'vt-head', role: 'row' },
      columns.map((c) => h('div', { class: `vt-cell ${c.class || ''}`, role: 'columnheader', style: cellStyle(c) }, c.title)));
    this.spacer = h('div', { class: 'vt-spacer' });
    this.body = h('div', { class: 'vt-body', role: 'rowgroup', tabindex: '0' }, this.spacer);
    this.body.addEventListener('scroll', () => this.render());
    this.empty = h('p', { class: 'empty' });
    this.el = h('div', { class: 'vt', role: 'table', 'aria-label': label }, head, this.body, this.empty);
    this.schedule = everyFrame(() => this.render());
  }

  setRows(rows) {
    this.rows = rows;
    this.schedule();
  }

  render() {
    const n = this.rows.length;
    this.empty.textContent = n ? '' : this.emptyText;
    this.empty.hidden = n > 0;
    const visible = Math.min(n, this.maxRows);
    this.body.style.height = `${Math.max(visible, n ? 1 : 0) * this.rowHeight}px`;
    this.spacer.style.height = `${n * this.rowHeight}px`;
    const first = Math.max(0, Math.floor(this.body.scrollTop / this.rowHeight) - 2);
    const last = Math.min(n, first + this.maxRows + 4);
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const r = this.rows[i];
      const row = h('div', {
        class: 'vt-row', role: 'row', style: `top:${i * this.rowHeight}px;height:${this.rowHeight}px`,
        dataset: this.key ? { key: this.key(r) } : undefined,
      }, this.columns.map((c) => h('div', { class: `vt-cell ${c.class || ''}`, role: 'cell', style: cellStyle(c) }, c.render(r))));
      frag.append(row);
    }
    clear(this.spacer).append(frag);
  }
}

function cellStyle(c) {
  return c.width ? `flex:0 0 ${c.width}` : 'flex:1 1 0';
}

// How numbers and times read on the page.

export function ago(ms, now = Date.now()) {
  if (ms === undefined || ms === null) return '—';
  const s = Math.round((now - ms) / 1000);
  if (s < 0) return `in ${duration(-s)}`;
  return `${duration(s)} ago`;
}

export function age(ms, now = Date.now()) {
  if (ms === undefined || ms === null) return '—';
  return duration(Math.max(0, Math.round((now - ms) / 1000)));
}

export function duration(s) {
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
}

export function bytes(n) {
  if (n === undefined || n === null) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export function cpu(millis) {
  if (millis === undefined || millis === null) return '—';
  return millis % 1000 === 0 ? `${millis / 1000} CPU` : `${millis}m CPU`;
}

export function time(ms) {
  const d = new Date(ms);
  return d.toLocaleTimeString([], { hour12: false });
}

export function ports(list) {
  if (!list || !list.length) return '';
  return list
    .map((p) => `${p.hostPort ? `${p.hostPort}→` : ''}${p.containerPort}/${(p.protocol || 'tcp').toLowerCase()}`)
    .join(', ');
}

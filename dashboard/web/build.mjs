// Bundles the dashboard into the module's classes directory (so Maven packs it into the jar):
// content-hashed scripts and styles under assets/, and index.html naming them.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { basename } from 'node:path';

const out = process.argv[2] || '../target/classes/berth-dashboard';
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/assets`, { recursive: true });
const result = await esbuild.build({
  entryPoints: ['src/main.js'],
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'esm',
  // The overview needs neither the terminal, the YAML editor nor the charts: those pages' code
  // comes in chunks of their own when first opened, so the first visit parses a fraction.
  splitting: true,
  chunkNames: '[name]-[hash]',
  target: ['chrome110', 'firefox115', 'safari16'],
  outdir: `${out}/assets`,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
const entry = (ext) => basename(Object.entries(result.metafile.outputs)
  .find(([p, o]) => p.endsWith(ext) && (o.entryPoint === 'src/main.js' || (ext === '.css' && p.includes('/main-'))))[0]);
const js = entry('.js');
const css = entry('.css');
const page = readFileSync('src/index.html', 'utf8')
  .replace('%APP_JS%', `/assets/${js}`)
  .replace('%APP_CSS%', `/assets/${css}`);
writeFileSync(`${out}/index.html`, page);
copyFileSync('src/favicon.svg', `${out}/favicon.svg`);
console.log(`dashboard: ${js}, ${css}, ${Object.keys(result.metafile.outputs).length - 2} more`);

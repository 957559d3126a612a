// Run a conformance corpus through Strudel itself and print results in the runner's shape
// (`python -m patterns.conformance`), to check expected events written by hand
// (tests/conformance/own_cases.json) against the reference. Not part of the test suite: it
// needs Node and the npm packages, which the project does not depend on.
//
//   mkdir /tmp/strudel && cd /tmp/strudel && npm install @strudel/core@1.2.6 @strudel/mini@1.2.6
//   node --no-warnings THIS_FILE /tmp/strudel CORPUS.json > results.json
//
// It covers the parts of the neutral form the own cases use (mini, value, frac, list, ref saw/
// sine/silence, call cat/slowcat/stack/seq/pure, pat, ops as methods). @strudel/core's bundle
// imports a REPL dependency that no longer loads in Node, so '@strudel/core' is resolved to
// its source modules (pattern, controls, signal, pick, ...) instead.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';

const [dir, corpusPath] = process.argv.slice(2);
const coreDir = path.resolve(dir, 'node_modules/@strudel/core');
const src = (name) => pathToFileURL(path.join(coreDir, name)).href;
const shim = ['controls', 'euclid', 'hap', 'pattern', 'pick', 'signal', 'state', 'timespan', 'util']
  .map((m) => `export * from ${JSON.stringify(src(m + '.mjs'))};`)
  .concat([`export { default as Fraction } from ${JSON.stringify(src('fraction.mjs'))};`])
  .join('\n');
const shimUrl = 'data:text/javascript,' + encodeURIComponent(shim);
const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === '@strudel/core') return { url: ${JSON.stringify(shimUrl)}, shortCircuit: true };
  if (specifier === '@strudel/core/fraction.mjs') return { url: ${JSON.stringify(src('fraction.mjs'))}, shortCircuit: true };
  return next(specifier, context);
}`;
register('data:text/javascript,' + encodeURIComponent(hooks), import.meta.url);

const core = await import('@strudel/core');
const { mini } = await import(pathToFileURL(path.resolve(dir, 'node_modules/@strudel/mini/mini.mjs')).href);
const { Fraction, pure, reify, silence, setStringParser } = core;
setStringParser(mini);
console.log = () => {}; // Strudel logs warnings on stdout: keep stdout for the JSON
const calls = { cat: core.cat, slowcat: core.slowcat, stack: core.stack, seq: core.seq, pure };
const refs = { saw: core.saw, sine: core.sine, silence };

const isOp = (v) => Array.isArray(v) && v.length > 0 && typeof v[0] === 'string';
function buildArg(arg) {
  if (Array.isArray(arg)) {
    const ops = isOp(arg) ? [arg] : arg;
    return (pat) => ops.reduce(applyOp, pat);
  }
  if (arg && typeof arg === 'object') {
    if ('mini' in arg) return mini(arg.mini);
    if ('frac' in arg) return Fraction(arg.frac);
    if ('value' in arg) return pure(arg.value);
    if ('list' in arg) return arg.list.map(buildArg);
    if ('ref' in arg) return refs[arg.ref] ?? fail(`unknown ref ${arg.ref}`);
    if ('call' in arg) return (calls[arg.call] ?? fail(`unknown call ${arg.call}`))(...(arg.args ?? []).map(buildArg));
    if ('pat' in arg) return (arg.ops ?? []).reduce(applyOp, reify(buildArg(arg.pat)));
  }
  return arg;
}
function fail(message) { throw new Error(message); }
function applyOp(pat, [name, ...args]) { return pat[name](...args.map(buildArg)); }
const span = (s) => (s ? { begin: Fraction(s.begin).toFraction(), end: Fraction(s.end).toFraction() } : null);
function plain(v) {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, plain(v[k])]));
  }
  return v;
}
function run(c) {
  let pat = c.mini != null ? mini(c.mini) : reify(buildArg(c.source));
  pat = c.ops.reduce(applyOp, pat);
  const events = [];
  let begin = Fraction(String(c.cycles[0]));
  const last = Fraction(String(c.cycles[1]));
  while (begin.compare(last) < 0) { // [from, next whole cycle), whole cycles, the last part
    let end = begin.floor().add(1);
    if (end.compare(last) > 0) end = last;
    for (const hap of pat.queryArc(begin, end)) {
      events.push({ whole: span(hap.whole), part: span(hap.part), onset: hap.hasOnset(), value: plain(hap.value) });
    }
    begin = end;
  }
  return { id: c.id, events };
}
const results = JSON.parse(fs.readFileSync(corpusPath)).cases.map((c) => {
  try { return run(c); } catch (err) { return { id: c.id, error: String(err) }; }
});
process.stdout.write(JSON.stringify({ results }, null, 1) + '\n');

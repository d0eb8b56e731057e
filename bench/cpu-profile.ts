/**
 * `npx tsx bench/cpu-profile.ts <file.cpuprofile> [top]`: where a V8 CPU profile (`--cpu-prof`,
 * `npm run bench -- --profile`) spent its time — self time by function, and by where the code
 * lives (a package of node_modules, a folder of the project, or Node itself).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time (ms) per function and per code location of a profile. */
export function summarise(profile: Profile, root = process.cwd()) {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, '');
    const where = file ? `${relative(root, file)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    byPlace.set(place(file, functionName, root), (byPlace.get(place(file, functionName, root)) ?? 0) + ms);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, ms]) => ({ name, ms: Math.round(ms), share: Math.round((ms / total) * 1000) / 10 }));
  return { totalMs: Math.round(total), byPlace: top(byPlace, 25), byFunction: (n: number) => top(byFunction, n) };
}

/** A package of node_modules, a project folder (two levels), or a V8/Node bucket. */
function place(file: string, functionName: string, root: string): string {
  if (!file) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = file.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (file.startsWith('node:')) return 'node (internals)';
  const rel = relative(root, file);
  return rel.startsWith('..') ? file : rel.split('/').slice(0, 2).join('/');
}

if (process.argv[1]?.endsWith('cpu-profile.ts')) {
  const [file, n = '30'] = process.argv.slice(2);
  const summary = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  console.log(`total sampled ${summary.totalMs} ms\n\nby place:`);
  for (const row of summary.byPlace) console.log(`${String(row.ms).padStart(8)} ms ${String(row.share).padStart(5)} %  ${row.name}`);
  console.log('\nby function (self time):');
  for (const row of summary.byFunction(Number(n))) console.log(`${String(row.ms).padStart(8)} ms ${String(row.share).padStart(5)} %  ${row.name}`);
}

// npm run bench:report: writes docs/benchmarks.md from bench/results.json (a full run's figures).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderBenchmarks } from './renderBenchmarks';

const root = join(__dirname, '..');
const results = JSON.parse(readFileSync(join(root, 'bench/results.json'), 'utf8'));
writeFileSync(join(root, 'docs/benchmarks.md'), renderBenchmarks(results));
console.log('written to docs/benchmarks.md');

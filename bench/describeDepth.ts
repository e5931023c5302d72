// bench/describeDepth: `kubectl describe` parsing time against nesting depth (issue 10 point 9). Deep indentation is
// the worst case for a line-oriented parser (input size grows with depth squared); the parser must stay linear in the
// input size. Prints figures; no assertions.
//
//   node dist/bench/describeDepth.js
import { MAX_DESCRIBE_CHARS, parseKubectlDescribe } from '../shared/diagnostics/parse/kubectlDescribe.js';

for (const depth of [250, 500, 1000, 2000, 2800]) {
  const lines = ['Name:         deep-0', 'Namespace:    default', 'Containers:'];
  for (let i = 0; i < depth; i++) lines.push(`${' '.repeat(i + 2)}k${i}:`);
  const text = lines.join('\n');
  const start = performance.now();
  parseKubectlDescribe(text);
  const ms = performance.now() - start;
  console.log(
    `depth ${String(depth).padStart(5)}  ${(text.length / 1e6).toFixed(2)} MB  ${ms.toFixed(0).padStart(6)} ms  ${((ms * 1e6) / text.length).toFixed(1)} µs/KB`,
  );
}
console.log(`input cap: ${MAX_DESCRIBE_CHARS} characters (larger input: 413 / exit 2)`);

// Command-line numbers of the benchmarks (`--nodes 5000`): a missing or non-numeric value falls back to the default,
// so a benchmark always runs and prints the figures it used.
export function numberArg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  return Number.isFinite(v) ? v : dflt;
}

/** Text output of the benchmark: aligned tables and a progress bar. */

/** Rows of cells as aligned columns (numbers right-aligned), with a header rule. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)))];
  const widths = header.map((_, c) => Math.max(...cells.map((row) => String(row[c] ?? '').length)));
  const numeric = header.map((_, c) => rows.every((row) => typeof row[c] === 'number' || row[c] === '-' || row[c] === undefined));
  const line = (row: (string | number)[]) =>
    row.map((cell, c) => (numeric[c] && c > 0 ? String(cell ?? '').padStart(widths[c]) : String(cell ?? '').padEnd(widths[c]))).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** Three significant digits, but never a long fraction for a large number. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 0.01) return value.toFixed(2);
  return value.toPrecision(2);
}

/** USD with enough digits to show a cost of a fraction of a cent. */
export const usd = (value: number) => `$${value >= 1 ? value.toFixed(2) : value >= 0.01 ? value.toFixed(3) : value.toPrecision(2)}`;

/** A progress bar on stderr (one line rewritten on a terminal; a line per 10 % otherwise). */
export function progressBar(label: string): { update(done: number, total: number): void; end(): void } {
  const started = performance.now();
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  return {
    update(done, total) {
      const fraction = total > 0 ? done / total : 0;
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? done / seconds : 0;
      const text = `${label} ${String(done).padStart(String(total).length)}/${total} ${(fraction * 100).toFixed(0).padStart(3)}%  ${rate.toFixed(1)}/s  ${seconds.toFixed(0)}s`;
      if (tty) {
        const width = 30;
        const filled = Math.round(fraction * width);
        process.stderr.write(`\r[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${text}`);
      } else if (Math.floor(fraction * 10) > lastDecile) {
        lastDecile = Math.floor(fraction * 10);
        process.stderr.write(`[progress] ${text}\n`);
      }
    },
    end() {
      if (tty) process.stderr.write('\n');
    },
  };
}

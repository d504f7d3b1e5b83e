// A one-line progress display: redrawn in place on a terminal, silent when output is piped.
const tty = Boolean(process.stderr.isTTY);
let shown = false;

export const progressLine = {
  bar(done: number, total: number, width = 24): string {
    const n = Math.round((done / Math.max(1, total)) * width);
    return `[${'#'.repeat(n)}${'.'.repeat(width - n)}]`;
  },
  show(text: string): void {
    if (!tty) return;
    process.stderr.write(`\r${text}\x1b[K`);
    shown = true;
  },
  clear(): void {
    if (shown) process.stderr.write('\r\x1b[K');
    shown = false;
  },
};

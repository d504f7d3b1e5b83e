// Tar pieces with no rules, for tests that hand the readers hostile archives the production
// writer (src/io/tar.ts) refuses to make: any name, any type.
const enc = new TextEncoder();

/** A ustar header block of `type` for `name` (first 100 bytes) with a body of `size` bytes. */
export function rawHeader(name: string, size: number, type: string): Uint8Array {
  const h = new Uint8Array(512);
  const put = (at: number, s: string) => h.set(enc.encode(s), at);
  put(0, name.slice(0, 100));
  put(100, '0000644\0');
  put(108, '0000000\0');
  put(116, '0000000\0');
  put(124, size.toString(8).padStart(11, '0') + '\0');
  put(136, '00000000000\0');
  h.fill(0x20, 148, 156);
  put(156, type);
  put(257, 'ustar\0');
  put(263, '00');
  put(148, h.reduce((a, b) => a + b, 0).toString(8).padStart(6, '0') + '\0 ');
  return h;
}

// Moves typed arrays across puppeteer's JSON-only page.evaluate boundary as base64, both ways.
// Used by the Node side (tests, CLI, bench) and the page side alike.
type Tagged = { __typed: 'f32' | 'f64' | 'u32' | 'u8'; b64: string };

function toBase64(bytes: Uint8Array): string {
  let s = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) s += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function encode(value: unknown): unknown {
  if (value instanceof Float32Array) return tag('f32', value);
  if (value instanceof Float64Array) return tag('f64', value);
  if (value instanceof Uint32Array) return tag('u32', value);
  if (value instanceof Uint8Array) return tag('u8', value);
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  }
  return value;
}

function tag(kind: Tagged['__typed'], a: ArrayBufferView): Tagged {
  return { __typed: kind, b64: toBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) };
}

export function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === 'object') {
    const t = value as Partial<Tagged>;
    if (t.__typed && typeof t.b64 === 'string') {
      const bytes = fromBase64(t.b64);
      const buf = bytes.buffer;
      switch (t.__typed) {
        case 'f32': return new Float32Array(buf);
        case 'f64': return new Float64Array(buf);
        case 'u32': return new Uint32Array(buf);
        case 'u8': return bytes;
      }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

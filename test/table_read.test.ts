// Reading tables: CSV edge cases (quotes, delimiters, BOM, line breaks, missing markers), type
// detection and overrides, .npy, every bad-input refusal naming its row and column, and the
// completed CSV writing every observed cell back byte for byte. CPU only (no GPU).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TvaeError } from '../src/errors.ts';
import { parseTypes, readTableBytes } from '../src/tables/read_table.ts';
import { completedCsv, completedNpy } from '../src/tables/write_table.ts';
import { encodeNpy, parseNpy } from '../src/tables/npy.ts';
import { maskedRows } from '../src/tables/table.ts';
import { checkTableJob } from '../src/tables/impute_table.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const read = (s: string, name = 't.csv', o = {}) => readTableBytes(enc(s), name, o);
const refuses = (fn: () => unknown, ...parts: string[]) =>
  assert.throws(fn, (e: unknown) => e instanceof TvaeError && parts.every((p) => e.message.includes(p)), `expected a TvaeError naming ${parts.join(', ')}`);

test('CSV: header, quoted fields with delimiters, quotes and line breaks, missing markers, types', () => {
  const csv = 'age,smoker,"city, name",note\n31,yes,"Paris, FR",a\nNA,no,"He said ""hi""",b\n40.5,,"multi\nline",?\n22,yes,Rome,a\n';
  const t = read(csv);
  assert.deepEqual(t.columns.map((c) => [c.name, c.type]), [['age', 'real'], ['smoker', 'binary'], ['city, name', 'categorical'], ['note', 'binary']]);
  assert.deepEqual(t.columns[1].levels, ['no', 'yes']);
  assert.deepEqual(Array.from(t.mask), [1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1]);
  assert.equal(t.raw[1][2], '"He said ""hi"""');
  assert.equal(t.text[1][2], 'He said "hi"');
  assert.equal(t.width, 1 + 1 + 4 + 1);
  const age = t.columns[0];
  assert.ok(Math.abs(age.mean - (31 + 40.5 + 22) / 3) < 1e-12);
  // standardised observed real values have mean 0; missing cells are 0 in x and mask
  const x = maskedRows(t);
  assert.equal(x[1 * 2 * t.width + 0], 0);
  assert.equal(x[1 * 2 * t.width + t.width + 0], 0);
  assert.equal(x[0 * 2 * t.width + t.width + 0], 1);
});

test('CSV: delimiter detected (tab, semicolon), CRLF, BOM, no final line break; --na and --types', () => {
  const t = read('\uFEFFa;b;c\r\n1;x;-\r\n2;y;5\r\n3;z;7', 't.csv', { na: ['-'], types: { a: 'categorical' } });
  assert.equal(t.format.delimiter, ';');
  assert.equal(t.format.newline, '\r\n');
  assert.equal(t.format.bom, true);
  assert.equal(t.columns[0].name, 'a');
  assert.equal(t.columns[0].type, 'categorical');
  assert.equal(t.mask[2], 0);
  const tab = read('a\tb\n1\t2\n3\t4\n5\t7\n');
  assert.equal(tab.format.delimiter, '\t');
  assert.deepEqual(parseTypes('age:real,smoker:binary'), { age: 'real', smoker: 'binary' });
  refuses(() => parseTypes('age:integer'), 'age', 'integer');
  refuses(() => read('a,b\n1,2\n3,4\n5,6\n', 't.csv', { types: { zz: 'real' } }), 'zz');
});

test('bad input: one line naming the row and column', () => {
  refuses(() => read('a,b\n1,2\n3\n4,5\n'), 'line 3', 'ragged');
  refuses(() => read('a,b\n1,2\n3,4\n5,x\n6,7\n8,9\n10,11\n12,13\n14,15\n16,17\n18,19\n20,21\n'), 'line 4', '"b"', 'text "x"');
  refuses(() => read('a,b\n1,x\n3,y\n4,z\n', 't.csv', { types: { b: 'real' } }), 'line 2', '"b"', 'text "x"');
  refuses(() => read('a,b\n1,\n3,NA\n4,?\n'), '"b"', 'no observed value');
  refuses(() => read('a,b\n1,7\n3,7\n4,7\n'), '"b"', 'constant');
  refuses(() => read('a,b\n1,u\n3,u\n4,NA\n'), '"b"', 'constant');
  refuses(() => read('a,a\n1,2\n3,4\n'), 'appears twice');
  refuses(() => read('a\n1\n2\n'), 'one column');
  refuses(() => read('a,b\n'), 'no rows');
  refuses(() => readTableBytes(new Uint8Array([0xff, 0xfe, 0x41]), 'x.csv'), 'UTF-8');
});

test('completed CSV: observed cells byte for byte, missing cells filled in the column\'s form', () => {
  const csv = '\uFEFFage;smoker;"city; name"\r\n31.25;yes;"Paris; FR"\r\nNA;no;"He said ""hi"""\r\n40.5;;Rome\r\n22.0;yes;?\r\n';
  const t = read(csv);
  const C = t.columns.length;
  const filled = new Float64Array(t.rows * C);
  filled[1 * C + 0] = 33.3333333;
  filled[2 * C + 1] = 1;
  filled[3 * C + 2] = t.columns[2].levels.indexOf('Paris; FR');
  const out = completedCsv(t, filled);
  assert.equal(out, '\uFEFFage;smoker;"city; name"\r\n31.25;yes;"Paris; FR"\r\n33.33;no;"He said ""hi"""\r\n40.5;yes;Rome\r\n22.0;yes;"Paris; FR"\r\n');
});

test('.npy: float32 and float64, C and Fortran order, NaN missing, hostile headers refused', () => {
  const data = Float64Array.from([1, NaN, 3, 4, 5.5, 6, 7, 8, NaN, 0, 2, 1]);
  for (const dtype of ['<f4', '<f8'] as const) {
    const bytes = encodeNpy({ dtype, rows: 4, cols: 3, data });
    const t = readTableBytes(bytes, 'x.npy');
    assert.deepEqual(t.columns.map((c) => c.name), ['c1', 'c2', 'c3']);
    assert.equal(t.mask[1], 0);
    assert.equal(t.mask[8], 0);
    const filled = new Float64Array(12).fill(9);
    const back = parseNpy(completedNpy(t, filled), 'y.npy');
    assert.equal(back.dtype, dtype);
    assert.deepEqual(Array.from(back.data), [1, 9, 3, 4, 5.5, 6, 7, 8, 9, 0, 2, 1]);
  }
  const good = encodeNpy({ dtype: '<f8', rows: 2, cols: 2, data: Float64Array.from([1, 2, 3, 4]) });
  const fortran = good.slice();
  const hdr = new TextDecoder().decode(fortran.subarray(10, 80));
  fortran.set(enc(hdr.replace("'fortran_order': False", "'fortran_order': True ")), 10);
  assert.deepEqual(Array.from(parseNpy(fortran, 'f.npy').data), [1, 3, 2, 4]);
  refuses(() => parseNpy(good.subarray(0, good.length - 1), 'x.npy'), 'needs 32 bytes');
  refuses(() => parseNpy(enc('hello world, not npy'), 'x.npy'), 'magic');
  const int = good.slice();
  int.set(enc(hdr.replace('<f8', '<i8')), 10);
  refuses(() => parseNpy(int, 'x.npy'), '<i8');
  const huge = good.slice();
  huge[8] = 0xff;
  huge[9] = 0xff;
  refuses(() => parseNpy(huge, 'x.npy'), 'header claims');
  const inf = encodeNpy({ dtype: '<f8', rows: 2, cols: 2, data: Float64Array.from([1, Infinity, 3, 4]) });
  refuses(() => parseNpy(inf, 'x.npy'), 'row 1', 'c2', 'infinite');
});

test('a table wider or longer than the device binds is refused before any work, naming its columns', () => {
  const t = read(`a,b,c\n${Array.from({ length: 40 }, (_, i) => `${i},${i % 3},${i % 2 ? 'x' : 'y'}`).join('\n')}\n`);
  refuses(() => checkTableJob(t, { prior: 'gaussian', epochs: 1, seed: 1 }, { maxStorageBufferBindingSize: 1024, maxBufferSize: 1 << 30 }), '3 columns', 'this device binds at most 1024');
  refuses(() => checkTableJob(t, { prior: 'gaussian', epochs: 1, seed: 1, batch: 41 }), '40 rows, fewer than a batch of 41');
  assert.equal(checkTableJob(t, { prior: 't', epochs: 1, seed: 1 }).shape.encoder[0], 2 * t.width);
});

test('completed CSV: an imputed real rounds without a signed zero; an imputed level with the delimiter is quoted', () => {
  const t = read('x,y\n1.5,a\n-2.0,"b,c"\nNA,\n0.5,a\n');
  const filled = new Float64Array(8);
  filled[2 * 2 + 0] = -0.01;
  filled[2 * 2 + 1] = t.columns[1].levels.indexOf('b,c');
  assert.equal(completedCsv(t, filled), 'x,y\n1.5,a\n-2.0,"b,c"\n0.0,"b,c"\n0.5,a\n');
});

// How the host waits for the GPU (src/gpu/settle.ts, src/node/quiet_wait.ts, src/node/thread_cpu.ts):
// the blocking slices, the pipelined submit order that keeps the queue from running dry, the
// Node waiter's results, and the /proc parsing behind the main thread's CPU share. No GPU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pipelinedChunks, sliceMs } from '../src/gpu/settle.ts';
import { quietSettle } from '../src/node/quiet_wait.ts';
import { cpuSplit, mainShare, statSeconds } from '../src/node/thread_cpu.ts';

test('slices: 1 ms at first, a twentieth of the wait so far, at most 50 ms', () => {
  assert.equal(sliceMs(0), 1);
  assert.equal(sliceMs(19), 1);
  assert.equal(sliceMs(200), 10);
  assert.equal(sliceMs(1000), 50);
  assert.equal(sliceMs(60_000), 50);
  // a wait of 2 s takes a few hundred looks, not thousands (each look costs an event-loop turn)
  let t = 0, looks = 0;
  while (t < 2000) (t += sliceMs(t)), looks++;
  assert.ok(looks < 200, `${looks} looks`);
});

test('pipelined chunks: chunk k+1 is submitted before chunk k is awaited, every chunk reported in order', async () => {
  const events: string[] = [];
  const resolvers: (() => void)[] = [];
  const submit = (k: number) => {
    events.push(`submit ${k}`);
    return new Promise<void>((r) => resolvers.push(() => (events.push(`finish ${k}`), r())));
  };
  // a "GPU" that finishes whatever is queued, oldest first, whenever the host waits
  const wait = async <T>(p: Promise<T>) => {
    events.push('wait');
    resolvers.shift()?.();
    return p;
  };
  await pipelinedChunks(3, submit, (k) => events.push(`done ${k}`), wait);
  assert.deepEqual(events, ['submit 0', 'submit 1', 'wait', 'finish 0', 'done 0', 'submit 2', 'wait', 'finish 1', 'done 1', 'wait', 'finish 2', 'done 2']);
  const none: string[] = [];
  await pipelinedChunks(0, submit, (k) => none.push(String(k)));
  assert.deepEqual(none, []);
});

test('the quiet waiter resolves and rejects as the promise does', async () => {
  assert.equal(await quietSettle(Promise.resolve(7)), 7);
  assert.equal(await quietSettle(new Promise((r) => setTimeout(() => r('late'), 30))), 'late');
  await assert.rejects(quietSettle(new Promise((_, j) => setTimeout(() => j(new Error('lost device')), 5))), /lost device/);
});

test('/proc stat lines: utime + stime in seconds, a name with spaces and parentheses kept apart', () => {
  // fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
  const line = '123 (a (b) c) S 1 1 1 0 -1 4194560 10 0 0 0 250 75 0 0 20 0 9 0';
  assert.equal(statSeconds(line), 3.25);
  assert.deepEqual(mainShare({ main: 1, total: 2 }, { main: 1.5, total: 12 }), { main: 0.5, total: 10, share: 0.05 });
  assert.equal(mainShare({ main: 1, total: 2 }, { main: 1, total: 2 }).share, 0);
  // the process a tick below its main thread (the kernel rounds each split on its own): capped at 1
  assert.equal(mainShare({ main: 0, total: 0 }, { main: 0.1, total: 0.09 }).share, 1);
  const now = cpuSplit();
  if (process.platform === 'linux') {
    // within two clock ticks (10 ms each): see mainShare
    assert.ok(now && now.total >= now.main - 0.02 && now.main > 0, JSON.stringify(now));
  } else assert.equal(now, undefined);
});

// How responsive the page's main thread stays while the worker trains: the longest task the Long
// Tasks API reports (tasks over 50 ms) and the longest gap between animation frames (a rAF probe,
// which also sees a thread starved of CPU). Measured between start() and stop().

export interface Responsiveness {
  /** false where the browser has no 'longtask' entries (the rAF probe still measures) */
  longTaskApi: boolean;
  longestTaskMs: number;
  longTasks: number;
  longestFrameGapMs: number;
  frames: number;
  measuredMs: number;
}

export function createResponsivenessProbe(): { start(): void; stop(): void; state(): Responsiveness } {
  let active = false, t0 = 0, t1 = 0, last = 0;
  const s: Responsiveness = { longTaskApi: false, longestTaskMs: 0, longTasks: 0, longestFrameGapMs: 0, frames: 0, measuredMs: 0 };
  try {
    new PerformanceObserver((list) => {
      if (!active) return;
      for (const e of list.getEntries()) {
        s.longTasks++;
        s.longestTaskMs = Math.max(s.longestTaskMs, e.duration);
      }
    }).observe({ type: 'longtask', buffered: false });
    s.longTaskApi = PerformanceObserver.supportedEntryTypes.includes('longtask');
  } catch {
    s.longTaskApi = false;
  }
  const frame = (t: number) => {
    if (!active) return;
    if (last > 0) s.longestFrameGapMs = Math.max(s.longestFrameGapMs, t - last);
    last = t;
    s.frames++;
    requestAnimationFrame(frame);
  };
  return {
    start() {
      if (active) return;
      Object.assign(s, { longestTaskMs: 0, longTasks: 0, longestFrameGapMs: 0, frames: 0 });
      active = true;
      last = 0;
      t0 = performance.now();
      requestAnimationFrame(frame);
    },
    stop() {
      if (!active) return;
      active = false;
      t1 = performance.now();
    },
    state() {
      return { ...s, measuredMs: (active ? performance.now() : t1) - t0 };
    },
  };
}

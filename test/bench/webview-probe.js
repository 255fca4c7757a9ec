// Installed in the harness page by the webview benchmark (test/bench/webview.ts) before the page's own
// scripts: it notes when the timeline's data arrived and when its first drawing was painted (times
// from navigation start, as performance.now() counts), and runs a scripted pan+zoom, one step per
// animation frame, timing the frames with requestAnimationFrame's timestamps.
(() => {
  'use strict';
  const marks = {};
  window.__bench = { marks };
  window.addEventListener(
    'message',
    (e) => {
      if (e.data && e.data.body && e.data.body.type === 'didLoadTimeline' && marks.timelineMessage === undefined) marks.timelineMessage = performance.now();
    },
    true,
  );
  new MutationObserver((_, observer) => {
    if (!document.querySelector('.tl-stage[data-render]')) return;
    observer.disconnect();
    marks.drawn = performance.now();
    // The frame that shows the first drawing has been produced once a task queued from its rAF runs.
    requestAnimationFrame(() => setTimeout(() => (marks.painted = performance.now())));
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-render'] });

  /**
   * Zooms in over `n` frames (wheel, as d3-zoom gets it from a mouse), pans right `n` frames (the
   * arrow key), zooms out half-way, pans back, zooms out the rest. Resolves with each frame's duration (ms).
   */
  window.__bench.panZoom = (n) =>
    new Promise((resolve) => {
      const svg = document.querySelector('.tl-svg');
      const stage = document.querySelector('.tl-stage');
      const box = svg.getBoundingClientRect();
      const at = { clientX: box.left + 92 + (box.width - 92) * 0.37, clientY: box.top + 150, bubbles: true, cancelable: true };
      const wheel = (deltaY) => () => svg.dispatchEvent(new WheelEvent('wheel', { ...at, deltaY }));
      const key = (k) => () => stage.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
      const steps = [
        ...Array.from({ length: n }, () => wheel(-120)),
        ...Array.from({ length: n }, () => key('ArrowRight')),
        ...Array.from({ length: n / 2 }, () => wheel(120)),
        ...Array.from({ length: n }, () => key('ArrowLeft')),
        ...Array.from({ length: n / 2 }, () => wheel(120)),
      ];
      const times = [];
      const frame = (t) => {
        times.push(t);
        const step = steps.shift();
        if (!step) return resolve(times.slice(1).map((x, i) => x - times[i]));
        step();
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
})();

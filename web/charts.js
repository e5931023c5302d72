// Inline SVG charts for the dashboard: a line chart with marked points and a sparkline. No library: a few SVG
// elements built with the DOM (never from strings), so data cannot inject markup.
'use strict';
(function () {
  var NS = 'http://www.w3.org/2000/svg';

  function el(name, attrs, text) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) {
      e.setAttribute(k, String(attrs[k]));
    });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function extent(values) {
    var lo = Infinity;
    var hi = -Infinity;
    values.forEach(function (v) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    });
    if (!isFinite(lo)) return [0, 1];
    if (lo === hi) return [lo - 1, hi + 1];
    return [lo, hi];
  }

  function fmt(v) {
    return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  }

  /**
   * points: [{t: Date|number, v: number, flagged?: boolean}]. Flagged points are drawn as marked circles.
   * opts: {title, width, height, color, unit, threshold}
   */
  function lineChart(points, opts) {
    opts = opts || {};
    var w = opts.width || 360;
    var h = opts.height || 140;
    var pad = { l: 44, r: 8, t: 22, b: 22 };
    var svg = el('svg', {
      viewBox: '0 0 ' + w + ' ' + h,
      // Drawn at its own size (text stays legible); CSS lets it shrink to a narrower card.
      width: w,
      height: h,
      role: 'img',
      class: 'chart',
    });
    var flaggedCount = points.filter(function (p) {
      return p.flagged;
    }).length;
    svg.appendChild(
      el(
        'title',
        {},
        (opts.title || 'chart') +
          ': ' +
          points.length +
          ' points' +
          (points.length ? ', last ' + fmt(points[points.length - 1].v) + (opts.unit || '') : '') +
          (flaggedCount ? ', ' + flaggedCount + ' flagged' : ''),
      ),
    );
    if (opts.title) svg.appendChild(el('text', { x: pad.l, y: 14, class: 'chart-title' }, opts.title));
    if (points.length === 0) {
      svg.appendChild(el('text', { x: w / 2, y: h / 2, 'text-anchor': 'middle', class: 'chart-axis' }, 'no data'));
      return svg;
    }
    var ts = points.map(function (p) {
      return +p.t;
    });
    var vs = points.map(function (p) {
      return p.v;
    });
    if (opts.threshold !== undefined) vs = vs.concat([opts.threshold]);
    var xr = extent(ts);
    var yr = extent(vs);
    var x = function (t) {
      return pad.l + ((t - xr[0]) / (xr[1] - xr[0] || 1)) * (w - pad.l - pad.r);
    };
    var y = function (v) {
      return h - pad.b - ((v - yr[0]) / (yr[1] - yr[0])) * (h - pad.t - pad.b);
    };
    svg.appendChild(el('line', { x1: pad.l, y1: h - pad.b, x2: w - pad.r, y2: h - pad.b, class: 'chart-grid' }));
    svg.appendChild(
      el('text', { x: pad.l - 4, y: y(yr[1]) + 4, 'text-anchor': 'end', class: 'chart-axis' }, fmt(yr[1])),
    );
    svg.appendChild(
      el('text', { x: pad.l - 4, y: y(yr[0]) + 4, 'text-anchor': 'end', class: 'chart-axis' }, fmt(yr[0])),
    );
    var time = function (t) {
      return new Date(t).toISOString().slice(11, 16);
    };
    svg.appendChild(el('text', { x: pad.l, y: h - 6, class: 'chart-axis' }, time(xr[0])));
    svg.appendChild(el('text', { x: w - pad.r, y: h - 6, 'text-anchor': 'end', class: 'chart-axis' }, time(xr[1])));
    if (opts.threshold !== undefined) {
      svg.appendChild(
        el('line', {
          x1: pad.l,
          x2: w - pad.r,
          y1: y(opts.threshold),
          y2: y(opts.threshold),
          class: 'chart-threshold',
        }),
      );
    }
    var d = points
      .map(function (p, i) {
        return (i === 0 ? 'M' : 'L') + x(+p.t).toFixed(1) + ' ' + y(p.v).toFixed(1);
      })
      .join(' ');
    svg.appendChild(el('path', { d: d, class: 'chart-line', stroke: opts.color || '#1f5fa8' }));
    points.forEach(function (p) {
      if (p.flagged) svg.appendChild(el('circle', { cx: x(+p.t), cy: y(p.v), r: 3.5, class: 'chart-flag' }));
    });
    return svg;
  }

  /** A small trend line of scores 0..100, labelled for screen readers. */
  function sparkline(values, label) {
    var w = 90;
    var h = 24;
    var svg = el('svg', { viewBox: '0 0 ' + w + ' ' + h, width: w, height: h, role: 'img', class: 'spark' });
    svg.appendChild(el('title', {}, label));
    if (values.length < 2) {
      svg.appendChild(el('circle', { cx: w - 3, cy: h / 2, r: 2.5, class: 'spark-dot' }));
      return svg;
    }
    var x = function (i) {
      return 2 + (i / (values.length - 1)) * (w - 4);
    };
    var y = function (v) {
      return h - 2 - (Math.max(0, Math.min(100, v)) / 100) * (h - 4);
    };
    var d = values
      .map(function (v, i) {
        return (i === 0 ? 'M' : 'L') + x(i).toFixed(1) + ' ' + y(v).toFixed(1);
      })
      .join(' ');
    svg.appendChild(el('path', { d: d, class: 'spark-line' }));
    svg.appendChild(
      el('circle', { cx: x(values.length - 1), cy: y(values[values.length - 1]), r: 2.5, class: 'spark-dot' }),
    );
    return svg;
  }

  window.aksCharts = { lineChart: lineChart, sparkline: sparkline };
})();

// The dashboard: fleet overview, cluster pages, diagnoses and the simulator, read from the same HTTP API as any
// other client. The function key comes from ?code= (then it is removed from the address bar) or a form, and is kept
// in sessionStorage only (this tab, until it closes). Everything from the API is put in the page with textContent
// (never innerHTML): findings quote cluster data.
'use strict';
(function () {
  var API = window.location.origin + '/api';
  var KEY_STORAGE = 'aks-aiops-function-key';
  var app = document.getElementById('app');
  var status = document.getElementById('status');
  var charts = window.aksCharts;
  var timers = [];
  var anomalyTrail = [];

  // ---------- key ----------
  (function takeKeyFromUrl() {
    var url = new URL(window.location.href);
    var code = url.searchParams.get('code');
    if (code) {
      sessionStorage.setItem(KEY_STORAGE, code);
      url.searchParams.delete('code');
      history.replaceState(null, '', url.pathname + url.search + url.hash);
    }
  })();
  function key() {
    return sessionStorage.getItem(KEY_STORAGE) || '';
  }

  // ---------- DOM helpers ----------
  function h(tag, attrs) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'onclick' || k === 'onsubmit' || k === 'onchange') e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    });
    for (var i = 2; i < arguments.length; i++) append(e, arguments[i]);
    return e;
  }
  function append(parent, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child))
      return child.forEach(function (c) {
        append(parent, c);
      });
    parent.appendChild(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    );
  }
  function clear(e) {
    while (e.firstChild) e.removeChild(e.firstChild);
  }
  function say(text) {
    status.textContent = text;
  }
  function when(iso) {
    if (!iso) return '';
    var d = new Date(iso);
    return isNaN(d) ? iso : d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
  }
  function link(hash, text) {
    return h('a', { href: '#' + hash }, text);
  }
  function badge(sev) {
    return h('span', { class: 'badge sev-' + sev }, sev);
  }
  function gradeBadge(g) {
    return h('span', { class: 'grade grade-' + g, 'aria-label': 'grade ' + g }, g);
  }

  // ---------- API ----------
  function ApiError(status, message) {
    this.status = status;
    this.message = message;
  }
  function call(method, path, body, needsKey) {
    var headers = {};
    if (needsKey !== false) {
      if (!key()) return Promise.reject(new ApiError(401, 'A function key is needed.'));
      headers['x-functions-key'] = key();
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(API + path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (res) {
      return res.text().then(function (text) {
        var json;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        if (!res.ok) {
          var msg = (json && (json.message || json.error)) || res.status + ' ' + res.statusText;
          if (json && json.problems && json.problems.length) msg += ' (' + json.problems.join('; ') + ')';
          throw new ApiError(res.status, msg);
        }
        return json;
      });
    });
  }

  function keyForm(reason) {
    var input = h('input', { id: 'key-input', type: 'password', autocomplete: 'off', required: true, size: 40 });
    return h(
      'form',
      {
        class: 'card keyform',
        onsubmit: function (ev) {
          ev.preventDefault();
          sessionStorage.setItem(KEY_STORAGE, input.value.trim());
          route();
        },
      },
      h('h2', {}, 'Function key'),
      h('p', {}, reason || 'The dashboard reads the API with the function key. It is kept in this browser tab only.'),
      h('label', { for: 'key-input' }, 'Function key'),
      ' ',
      input,
      ' ',
      h('button', { type: 'submit' }, 'Use this key'),
    );
  }

  function failed(err) {
    if (err instanceof ApiError && err.status === 401) {
      clear(app);
      append(app, keyForm(key() ? 'The key was not accepted; enter another.' : undefined));
      say('');
      return;
    }
    append(
      app,
      h('p', { class: 'error', role: 'alert' }, 'Could not load: ' + (err && err.message ? err.message : String(err))),
    );
    say('');
  }

  // ---------- fleet ----------
  function fleet() {
    say('Loading the fleet');
    return Promise.all([call('GET', '/clusters'), call('GET', '/diagnoses?pageSize=10')]).then(function (r) {
      var clusters = r[0].clusters.slice().sort(function (a, b) {
        return a.score - b.score;
      });
      var diagnoses = r[1].items;
      append(app, h('h1', {}, 'Fleet'));
      if (clusters.length === 0) {
        append(app, h('p', { class: 'card' }, 'No cluster has been swept yet. Sweeps run on SWEEP_SCHEDULE.'));
      } else {
        var rows = clusters.map(function (c) {
          var counts = c.counts || { critical: 0, warning: 0, info: 0 };
          var trend = (c.trend || []).map(function (t) {
            return t.score;
          });
          return h(
            'tr',
            { 'data-cluster': c.clusterName },
            h('th', { scope: 'row' }, link('cluster/' + encodeURIComponent(c.clusterId), c.clusterName)),
            h('td', { class: 'num' }, String(c.score)),
            h('td', {}, gradeBadge(c.grade)),
            h('td', {}, charts.sparkline(trend, 'score trend of ' + c.clusterName + ': ' + trend.join(', '))),
            h('td', { class: 'num' }, String(counts.critical)),
            h('td', { class: 'num' }, String(counts.warning)),
            h('td', { class: 'num' }, String(counts.info)),
            h('td', {}, when(c.lastSweepAt), c.partial ? ' (partial)' : ''),
          );
        });
        append(
          app,
          h(
            'table',
            { class: 'grid', id: 'fleet-table' },
            h('caption', {}, clusters.length + ' cluster(s), worst first'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Cluster', 'Score', 'Grade', 'Trend', 'Critical', 'Warning', 'Info', 'Last sweep'].map(function (t) {
                  return h('th', { scope: 'col' }, t);
                }),
              ),
            ),
            h('tbody', {}, rows),
          ),
        );
      }
      append(app, h('h2', {}, 'Latest diagnoses'));
      append(app, diagnosesTable(diagnoses));
      say('');
    });
  }

  /** Findings grouped by check, each with its object, message, evidence, fix and docs link. */
  function groupedFindings(findings) {
    var byCheck = {};
    findings.forEach(function (f) {
      (byCheck[f.check] = byCheck[f.check] || []).push(f);
    });
    var out = [];
    Object.keys(byCheck).forEach(function (check) {
      var list = byCheck[check];
      out.push(
        h(
          'details',
          { class: 'check card', open: true, 'data-check': check },
          h('summary', {}, badge(list[0].severity), ' ', h('code', {}, check), ' (' + list.length + ')'),
          list.map(function (f) {
            return h(
              'div',
              { class: 'finding' },
              h(
                'p',
                {},
                h('strong', {}, (f.namespace ? f.namespace + '/' : '') + f.kind + '/' + f.name),
                ' ',
                f.state === 'new' ? h('span', { class: 'badge new' }, 'new') : '',
                ' ',
                f.message,
              ),
              h(
                'ul',
                { class: 'evidence' },
                f.evidence.map(function (e) {
                  return h('li', {}, h('code', {}, e));
                }),
              ),
              h(
                'p',
                {},
                h('strong', {}, 'Fix: '),
                f.remediation,
                /^https?:\/\//i.test(f.docsUrl || '')
                  ? [' ', h('a', { href: f.docsUrl, rel: 'noreferrer' }, 'docs')]
                  : '',
              ),
              h('p', { class: 'muted' }, 'Seen ' + f.count + ' time(s) since ' + when(f.firstSeen)),
            );
          }),
        ),
      );
    });
    return out;
  }

  /** The simulator is on when the OpenAPI document lists its routes (an anonymous read that never fails with 404). */
  function simulatorEnabled() {
    return call('GET', '/openapi.json', undefined, false).then(function (doc) {
      return Boolean(doc && doc.paths && doc.paths['/metrics/current']);
    });
  }

  /**
   * For the simulated cluster: the metric series the detector flags now, each charted over the last hour with the
   * flagged (current) point marked. Real clusters have no metrics route here, so nothing is shown for them.
   */
  function clusterAnomalies(id) {
    return simulatorEnabled().then(function (on) {
      if (!on) return undefined;
      return call('GET', '/system/info', undefined, false).then(function (info) {
        var simulated = String((info.configuration || {}).cluster_id || '').toLowerCase();
        if (simulated !== id.toLowerCase()) return undefined;
        return call('GET', '/metrics/current', undefined, false).then(function (cur) {
          var ad = cur.anomaly_detection;
          var section = h(
            'section',
            { id: 'anomalies', 'aria-labelledby': 'anomalies-h' },
            h('h2', { id: 'anomalies-h' }, 'Anomalies (simulated metrics)'),
          );
          append(app, section);
          if (!ad.anomalies.length) {
            append(
              section,
              h(
                'p',
                {},
                'No metric series is anomalous now (highest score ' +
                  ad.anomaly_score.toFixed(2) +
                  ', threshold ' +
                  ad.threshold +
                  ').',
              ),
            );
            return undefined;
          }
          return Promise.all(
            ad.anomalies.slice(0, 6).map(function (a) {
              var q =
                '/metrics/history?minutes=60&service=' +
                encodeURIComponent(a.service) +
                '&metric=' +
                encodeURIComponent(a.metric);
              return call('GET', q, undefined, false).then(function (hist) {
                var series = (hist.series[a.service] && hist.series[a.service][a.metric]) || [];
                var pts = series.map(function (p, i) {
                  return { t: new Date(p.timestamp), v: p.value, flagged: i === series.length - 1 };
                });
                return h(
                  'figure',
                  { class: 'card flagged' },
                  charts.lineChart(pts, { title: a.service + ': ' + a.metric }),
                  h('figcaption', {}, 'Score ' + a.score.toFixed(2) + ' at ' + a.value + ' (the marked point)'),
                );
              });
            }),
          ).then(function (figures) {
            append(section, h('div', { class: 'charts' }, figures));
          });
        });
      });
    });
  }

  // ---------- cluster ----------
  function cluster(id) {
    say('Loading the cluster');
    return Promise.all([
      call('GET', '/sweeps/latest?cluster=' + encodeURIComponent(id)),
      call('GET', '/clusters'),
    ]).then(function (r) {
      var latest = r[0];
      var s = latest.summary;
      var info = r[1].clusters.find(function (c) {
        return c.clusterId === id;
      });
      append(app, h('p', {}, link('', 'Fleet'), ' / ', s.clusterName));
      append(app, h('h1', {}, s.clusterName));
      append(
        app,
        h(
          'dl',
          { class: 'facts card' },
          h('dt', {}, 'Score'),
          h('dd', {}, String(s.score), ' ', gradeBadge(latest.grade)),
          h('dt', {}, 'Open findings'),
          h('dd', {}, s.counts.critical + ' critical, ' + s.counts.warning + ' warning, ' + s.counts.info + ' info'),
          h('dt', {}, 'Last sweep'),
          h(
            'dd',
            {},
            when(s.finishedAt),
            ' (' + s.objectsScanned + ' objects, ' + s.durationMs + ' ms)',
            s.partial ? ', partial' : '',
          ),
          h('dt', {}, 'Resource id'),
          h('dd', {}, h('code', {}, s.clusterId)),
        ),
      );
      if (s.errors && s.errors.length)
        append(
          app,
          h(
            'ul',
            { class: 'error' },
            s.errors.map(function (e) {
              return h('li', {}, e);
            }),
          ),
        );

      var kube = latest.findings.filter(function (f) {
        return f.check.indexOf('arm.') !== 0;
      });
      append(app, h('h2', {}, 'Open findings (' + latest.totalFindings + ', ARM facts included)'));
      if (kube.length === 0) append(app, h('p', {}, 'No open Kubernetes findings.'));
      else append(app, groupedFindings(kube));

      var arm = latest.findings.filter(function (f) {
        return f.check.indexOf('arm.') === 0;
      });
      append(app, h('h2', {}, 'ARM facts'));
      if (arm.length === 0)
        append(app, h('p', {}, 'The Azure Resource Manager checks found nothing to report for this cluster.'));
      else append(app, groupedFindings(arm));

      append(app, h('h2', {}, 'Latest sweeps'));
      var trend = (info && info.trend) || [];
      append(
        app,
        trend.length === 0
          ? h('p', {}, 'No sweep history.')
          : h(
              'div',
              { class: 'card' },
              charts.lineChart(
                trend.map(function (t) {
                  return { t: new Date(t.startedAt), v: t.score };
                }),
                { title: 'Score per sweep', width: 900, height: 150 },
              ),
              h(
                'ul',
                { class: 'compact' },
                trend
                  .slice()
                  .reverse()
                  .map(function (t) {
                    return h('li', {}, when(t.startedAt) + ': score ' + t.score + ' (' + t.sweepId + ')');
                  }),
              ),
            ),
      );

      return clusterAnomalies(id).then(function () {
        say('');
      });
    });
  }

  // ---------- diagnoses ----------
  function diagnosesTable(items) {
    if (!items.length) return h('p', {}, 'No diagnoses yet. Alerts and POST /api/diagnose create them.');
    return h(
      'table',
      { class: 'grid', id: 'diagnoses-table' },
      h('caption', {}, items.length + ' diagnosis(es), newest first'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Target', 'Root cause', 'Confidence', 'State', 'Firings', 'Started'].map(function (t) {
            return h('th', { scope: 'col' }, t);
          }),
        ),
      ),
      h(
        'tbody',
        {},
        items.map(function (d) {
          return h(
            'tr',
            {},
            h('th', { scope: 'row' }, link('diagnosis/' + encodeURIComponent(d.id), targetText(d.target))),
            h('td', {}, d.rootCause),
            h('td', { class: 'num' }, Math.round(d.confidence * 100) + '%'),
            h('td', {}, d.state),
            h('td', { class: 'num' }, String(d.firings)),
            h('td', {}, when(d.startedAt)),
          );
        }),
      ),
    );
  }
  function targetText(t) {
    var parts = [t.clusterName, t.namespace, t.pod || t.workload || t.node || t.pvc].filter(Boolean);
    return parts.join(' / ') || '(cluster)';
  }
  function diagnoses() {
    say('Loading diagnoses');
    return call('GET', '/diagnoses?pageSize=50').then(function (page) {
      append(app, h('h1', {}, 'Diagnoses'));
      append(app, diagnosesTable(page.items));
      say('');
    });
  }
  /** A Copy button for a reproduce line; the outcome is announced in the status line (the label stays "Copy"). */
  function copyButton(text, label) {
    return h(
      'button',
      {
        type: 'button',
        class: 'copy',
        'aria-label': 'Copy ' + label,
        onclick: function (ev) {
          var b = ev.currentTarget;
          var select = function () {
            var r = document.createRange();
            r.selectNodeContents(b.previousSibling);
            var sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(r);
            say('Selected the ' + label + ': press Ctrl+C to copy it');
          };
          if (!navigator.clipboard || !window.isSecureContext) return select();
          navigator.clipboard.writeText(text).then(function () {
            b.setAttribute('data-copied', 'true');
            say('Copied the ' + label);
          }, select);
        },
      },
      'Copy',
    );
  }
  function diagnosis(id) {
    say('Loading the diagnosis');
    return call('GET', '/diagnoses/' + encodeURIComponent(id)).then(function (d) {
      append(app, h('p', {}, link('diagnoses', 'Diagnoses'), ' / ', d.id));
      append(app, h('h1', {}, d.rootCause + (d.rootCauseDetail ? ' (' + d.rootCauseDetail + ')' : '')));
      append(app, h('p', { class: 'lead' }, d.summary));
      append(
        app,
        h(
          'dl',
          { class: 'facts card' },
          h('dt', {}, 'Target'),
          h('dd', {}, targetText(d.target)),
          h('dt', {}, 'Confidence'),
          h('dd', {}, Math.round(d.confidence * 100) + '%'),
          h('dt', {}, 'State'),
          h('dd', {}, d.state),
          h('dt', {}, 'Firings'),
          h('dd', {}, String(d.firings)),
          h('dt', {}, 'Started'),
          h('dd', {}, when(d.startedAt)),
          d.resolvedAt ? [h('dt', {}, 'Resolved'), h('dd', {}, when(d.resolvedAt))] : '',
        ),
      );
      append(app, h('h2', {}, 'Evidence'));
      append(
        app,
        h(
          'ol',
          { class: 'evidence' },
          d.evidence.map(function (e, i) {
            return h(
              'li',
              {},
              h('p', {}, h('strong', {}, e.source + ': '), e.detail),
              e.reproduce
                ? h(
                    'div',
                    { class: 'repro' },
                    h('pre', {}, h('code', {}, e.reproduce)),
                    copyButton(e.reproduce, 'reproduce line ' + (i + 1)),
                  )
                : '',
            );
          }),
        ),
      );
      append(app, h('h2', {}, 'Recommendations'));
      append(
        app,
        h(
          'ul',
          {},
          d.recommendations.map(function (r) {
            return h('li', {}, r);
          }),
        ),
      );
      say('');
    });
  }

  // ---------- simulator ----------
  var SERVICES = ['api-gateway', 'user-service', 'payment-service', 'notification-service'];
  var METRICS = ['cpu_usage_percent', 'memory_usage_percent', 'latency_ms', 'request_rate', 'error_rate', 'pod_count'];
  function select(id, label, values, selected) {
    return [
      h('label', { for: id }, label),
      h(
        'select',
        { id: id, name: id },
        values.map(function (v) {
          return h('option', { value: v, selected: v === selected }, v);
        }),
      ),
    ];
  }
  function simulator() {
    say('Loading the simulator');
    return call('GET', '/system/info', undefined, false).then(
      function (info) {
        append(app, h('h1', {}, 'Simulator'));
        var metricPick = select(
          'metric-pick',
          'Metric ',
          METRICS,
          sessionStorage.getItem('aks-aiops-metric') || 'memory_usage_percent',
        );
        metricPick[1].addEventListener('change', function () {
          sessionStorage.setItem('aks-aiops-metric', metricPick[1].value);
          refresh();
        });
        var current = h('div', { id: 'sim-current', class: 'card', 'aria-live': 'polite' });
        var chartsBox = h('div', { id: 'sim-charts', class: 'charts' });
        var incidents = h('div', { id: 'sim-incidents' });
        var form = h(
          'form',
          {
            class: 'card incident-form',
            id: 'incident-form',
            onsubmit: function (ev) {
              ev.preventDefault();
              var body = {
                type: form.querySelector('#inc-type').value,
                service: form.querySelector('#inc-service').value,
                severity: form.querySelector('#inc-severity').value,
                duration_minutes: Number(form.querySelector('#inc-duration').value),
              };
              say('Starting the incident');
              call('POST', '/incidents/simulate', body).then(function (inc) {
                say('Incident ' + inc.id + ' started');
                refresh();
              }, showError);
            },
          },
          h('h2', {}, 'Start an incident'),
          h(
            'div',
            { class: 'row' },
            select('inc-type', 'Type ', info.incident_types, 'memory_leak'),
            select('inc-service', 'Service ', info.simulated_services, 'payment-service'),
            select('inc-severity', 'Severity ', ['low', 'medium', 'high', 'critical'], 'high'),
            h('label', { for: 'inc-duration' }, 'Minutes '),
            h('input', { id: 'inc-duration', type: 'number', min: 1, max: 1440, value: 30 }),
            h('button', { type: 'submit' }, 'Start incident'),
          ),
        );
        append(app, [
          h('div', { class: 'row' }, metricPick),
          current,
          chartsBox,
          form,
          h('h2', {}, 'Incidents'),
          incidents,
        ]);

        function showError(err) {
          if (err instanceof ApiError && err.status === 401) return failed(err);
          say('Failed: ' + err.message);
        }
        function refresh() {
          var metric = metricPick[1].value;
          return Promise.all([
            call('GET', '/metrics/current', undefined, false),
            call('GET', '/metrics/history?minutes=60&metric=' + metric, undefined, false),
            call('GET', '/incidents?limit=10', undefined, false),
          ]).then(function (r) {
            var cur = r[0];
            var hist = r[1];
            var ad = cur.anomaly_detection;
            // One point per minute (the metrics' resolution): a poll in the same minute replaces the last point.
            var point = { t: new Date(cur.timestamp), v: ad.anomaly_score, flagged: ad.has_anomaly };
            var last = anomalyTrail[anomalyTrail.length - 1];
            if (last && +last.t === +point.t) anomalyTrail[anomalyTrail.length - 1] = point;
            else anomalyTrail.push(point);
            if (anomalyTrail.length > 240) anomalyTrail.shift();
            clear(current);
            append(current, [
              h(
                'p',
                {},
                h('strong', {}, 'Status: '),
                h('span', { class: 'status-' + cur.overall_status, id: 'overall-status' }, cur.overall_status),
                ', active incidents: ' +
                  cur.active_incidents +
                  ', anomaly score ' +
                  ad.anomaly_score.toFixed(2) +
                  ' (threshold ' +
                  ad.threshold +
                  ')',
                ad.has_anomaly ? ', highest: ' + ad.service + ' ' + ad.metric : '',
              ),
              charts.lineChart(anomalyTrail, {
                title: 'Anomaly score per minute (sampled while this page is open; dashed: threshold)',
                threshold: ad.threshold,
                width: 900,
                height: 150,
              }),
            ]);
            clear(chartsBox);
            SERVICES.forEach(function (svc) {
              var series = (hist.series[svc] && hist.series[svc][metric]) || [];
              var flagged =
                ad.anomalies.filter(function (a) {
                  return a.service === svc && a.metric === metric;
                }).length > 0;
              var pts = series.map(function (p, i) {
                return { t: new Date(p.timestamp), v: p.value, flagged: flagged && i === series.length - 1 };
              });
              append(
                chartsBox,
                h(
                  'figure',
                  { class: 'card' + (flagged ? ' flagged' : '') },
                  charts.lineChart(pts, { title: svc + ': ' + metric }),
                  h('figcaption', {}, svc + (flagged ? ' (flagged now by the detector)' : '')),
                ),
              );
            });
            clear(incidents);
            var items = r[2].items;
            if (!items.length) append(incidents, h('p', {}, 'No incidents.'));
            else
              append(
                incidents,
                h(
                  'table',
                  { class: 'grid', id: 'incidents-table' },
                  h('caption', {}, 'Latest incidents'),
                  h(
                    'thead',
                    {},
                    h(
                      'tr',
                      {},
                      ['Id', 'Type', 'Service', 'Severity', 'Status', 'Ends', ''].map(function (t, i) {
                        return h(
                          'th',
                          { scope: 'col' },
                          i === 6 ? h('span', { class: 'visually-hidden' }, 'Action') : t,
                        );
                      }),
                    ),
                  ),
                  h(
                    'tbody',
                    {},
                    items.map(function (inc) {
                      return h(
                        'tr',
                        { 'data-incident': inc.id },
                        h('td', {}, h('code', {}, inc.id)),
                        h('td', {}, inc.type),
                        h('td', {}, inc.service),
                        h('td', {}, inc.severity),
                        h('td', {}, inc.status),
                        h('td', {}, when(inc.resolvedAt || inc.endsAt)),
                        h(
                          'td',
                          {},
                          inc.status === 'active'
                            ? h(
                                'button',
                                {
                                  type: 'button',
                                  'aria-label': 'Resolve ' + inc.id,
                                  onclick: function () {
                                    call('POST', '/incidents/' + encodeURIComponent(inc.id) + '/resolve', {}).then(
                                      function () {
                                        say('Incident ' + inc.id + ' resolved');
                                        refresh();
                                      },
                                      showError,
                                    );
                                  },
                                },
                                'Resolve',
                              )
                            : '',
                        ),
                      );
                    }),
                  ),
                ),
              );
          });
        }
        timers.push(
          setInterval(function () {
            refresh().catch(showError);
          }, 15000),
        );
        return refresh().then(function () {
          say('');
        });
      },
      function (err) {
        if (err instanceof ApiError && err.status === 404) {
          append(
            app,
            h('h1', {}, 'Simulator'),
            h('p', {}, 'The simulator is not enabled on this app (SIMULATOR_ENABLED=false).'),
          );
          say('');
          return;
        }
        throw err;
      },
    );
  }

  // ---------- routing ----------
  function route() {
    timers.forEach(clearInterval);
    timers = [];
    document.body.removeAttribute('data-ready');
    clear(app);
    var hash = decodeURIComponent(window.location.hash.replace(/^#\/?/, ''));
    document.querySelectorAll('nav a[data-nav]').forEach(function (a) {
      if (hash.indexOf(a.getAttribute('data-nav')) === 0 && (a.getAttribute('data-nav') !== '' || hash === ''))
        a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    var needsKey = hash.indexOf('simulator') !== 0;
    if (needsKey && !key()) {
      append(app, keyForm());
      return;
    }
    var p;
    if (hash.indexOf('cluster/') === 0) p = cluster(hash.slice('cluster/'.length));
    else if (hash.indexOf('diagnosis/') === 0) p = diagnosis(hash.slice('diagnosis/'.length));
    else if (hash === 'diagnoses') p = diagnoses();
    else if (hash === 'simulator') p = simulator();
    else p = fleet();
    p.then(function () {
      document.body.setAttribute('data-ready', hash || 'fleet');
    }, failed);
  }
  document.getElementById('forget-key').addEventListener('click', function () {
    sessionStorage.removeItem(KEY_STORAGE);
    route();
  });
  window.addEventListener('hashchange', route);
  route();
})();

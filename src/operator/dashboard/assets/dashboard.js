'use strict';
// The operator dashboard. Served from this origin so the Content-Security-Policy stays
// `script-src 'self'`; every value from the server is written with textContent, never as HTML.
(() => {
  const { $, session, TOKEN, API_KEY, ApiError, api, streamed, describe, el, time } = window.BSM;
  const MAX_HISTORY = 20;
  // The last numbers this browser saw, painted at once on the next visit while the first refresh runs.
  const SNAPSHOT = 'bsm.lastSnapshot';
  let timer = null;
  const conversations = new Map();

  function button(label, onClick, attributes = {}) {
    const node = el('button', label, { type: 'button', ...attributes });
    node.addEventListener('click', onClick);
    return node;
  }

  /** Replaces a table's rows; each row is an array of strings or nodes. */
  function fillTable(id, rows, empty) {
    const body = $(id).tBodies[0];
    const columns = $(id).tHead.rows[0].cells.length;
    body.replaceChildren(
      ...(rows.length
        ? rows.map((cells) => {
            const tr = el('tr');
            for (const cell of cells) {
              const td = el('td');
              td.append(cell instanceof Node ? cell : document.createTextNode(cell === null || cell === undefined ? '—' : String(cell)));
              tr.append(td);
            }
            return tr;
          })
        : [(() => {
            const tr = el('tr');
            tr.append(el('td', empty, { colspan: String(columns), class: 'muted' }));
            return tr;
          })()]),
    );
  }

  const number = (value, digits = 1) => (typeof value === 'number' ? value.toFixed(digits) : '—');
  const percent = (value) => (typeof value === 'number' ? `${(value * 100).toFixed(1)} %` : '—');
  function duration(seconds) {
    const d = Math.floor(seconds / 86400);
    const h = Math.floor((seconds % 86400) / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    return `${d ? `${d}d ` : ''}${d || h ? `${h}h ` : ''}${m}m ${seconds % 60}s`;
  }

  function banner(message) {
    $('banner').hidden = !message;
    $('banner').textContent = message || '';
  }

  function adminResult(message, failed = false) {
    $('admin-result').textContent = message;
    $('admin-result').className = failed ? 'error' : '';
  }

  /** Runs an admin call, reports its outcome on the page, then refreshes the numbers. */
  async function adminAction(summarise, call) {
    try {
      adminResult(summarise(await call()));
    } catch (error) {
      adminResult(describe(error), true);
    }
    await refresh();
  }

  function renderMetrics(m) {
    $('lat-p50').textContent = number(m.requests.latencyMs.p50, 2);
    $('lat-p95').textContent = number(m.requests.latencyMs.p95, 2);
    $('lat-p99').textContent = number(m.requests.latencyMs.p99, 2);
    $('rps').textContent = number(m.requests.perSecond, 2);
    $('total').textContent = String(m.requests.total);
    $('error-rate').textContent = percent(m.requests.errorRate);
    $('rss').textContent = number(m.memory.rssMb);
    $('heap').textContent = `${number(m.memory.heapUsedMb)} / ${number(m.memory.heapTotalMb)}`;
    $('loop-p99').textContent = number(m.eventLoop.p99Ms, 2);
    $('loop-max').textContent = number(m.eventLoop.maxMs, 2);
    $('uptime').textContent = duration(m.uptimeSeconds);

    fillTable(
      'caches',
      m.caches.map((c) => [
        c.name,
        percent(c.hitRate),
        c.hits,
        c.misses,
        c.errors,
        c.valid ? 'yes' : 'no',
        button('Clear', () => clearCache(c.name), { 'data-cache': c.name }),
      ]),
      'No caches',
    );
    fillTable(
      'breakers',
      m.breakers.map((b) => [
        b.name,
        el('span', b.state, { class: `state state-${b.state}` }),
        b.failures,
        b.rejects,
        time(b.nextAttemptAt),
        button('Reset', () => resetBreaker(b.name), { 'data-breaker': b.name }),
      ]),
      'No circuit breakers (no provider configured)',
    );
    fillTable('bulkheads', m.bulkheads.map((b) => [b.name, b.inFlight, b.queued, b.maxConcurrent]), 'No bulkheads');
    $('job-counts').textContent = m.jobs
      ? Object.entries(m.jobs).map(([status, count]) => `${status}: ${count}`).join(' · ') || 'No jobs yet'
      : 'Job store unavailable';
  }

  function renderHealth(health) {
    $('health').textContent = health.status;
    $('health').dataset.status = health.status;
    $('checks').replaceChildren(
      ...Object.entries(health.checks).map(([name, check]) => {
        const li = el('li', null, { 'data-status': check.status });
        li.append(el('strong', name), document.createTextNode(` ${check.status} — ${check.message}`));
        return li;
      }),
    );
  }

  function renderJobs(page) {
    fillTable(
      'jobs',
      page.jobs.map((job) => [
        el('a', time(job.createdAt), { href: `/reviews/${encodeURIComponent(job.id)}`, title: 'Open the review page' }),
        job.event,
        job.repo ? `${job.repo}${job.pr ? ` #${job.pr}` : ''}` : null,
        job.status,
        job.decision ? job.decision.action : null,
        job.status === 'completed' ? button('Report', () => showReport(job.id)) : '',
      ]),
      'No jobs yet',
    );
  }

  /** localStorage may be off (privacy modes) or full: the page then simply starts with its skeleton. */
  function lastSnapshot() {
    try {
      return JSON.parse(window.localStorage.getItem(SNAPSHOT) || 'null');
    } catch {
      return null;
    }
  }

  function render({ metrics, health, jobs }) {
    if (metrics) renderMetrics(metrics);
    if (health) renderHealth(health);
    if (jobs) renderJobs(jobs);
  }

  async function refresh() {
    const [metrics, health, jobs, charted] = await Promise.allSettled([
      api('/api/metrics'),
      api('/api/health/detailed', { accept: [503] }),
      api('/api/orchestrator/jobs?limit=10'),
      refreshCharts(),
    ]);
    const failures = [metrics, health, jobs, charted].filter((r) => r.status === 'rejected').map((r) => r.reason);
    const value = (result) => (result.status === 'fulfilled' ? result.value : undefined);
    const fresh = { metrics: value(metrics), health: value(health), jobs: value(jobs) };
    render(fresh);
    try {
      window.localStorage.setItem(SNAPSHOT, JSON.stringify({ ...lastSnapshot(), ...fresh, at: new Date().toISOString() }));
    } catch {
      // Nothing to keep for next time; this page is unaffected.
    }
    document.body.dataset.state = 'live';
    banner(failures.length ? failures.map(describe).join(' · ') : '');
    $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
  }

  /** First paint: the last known numbers, dimmed and dated, or the skeleton the page starts with. */
  function paintLastKnown() {
    const last = lastSnapshot();
    if (!last || !last.at) return;
    try {
      render(last);
    } catch {
      return; // a snapshot from an older release that no longer renders: keep the skeleton
    }
    document.body.dataset.state = 'stale';
    $('updated').textContent = `last known ${time(last.at)}, refreshing…`;
  }

  const DECISIONS = ['approve', 'request_changes', 'block_pr', 'manual_review'];
  const COLORS = ['#1a7f37', '#9a6700', '#cf222e', '#0969da', '#8250df'];
  const charts = new Map();

  /** One line chart (uPlot) per measure; a breaker opening is a red vertical line at its time. */
  function chart(id, title, x, series, openings) {
    const container = $(id);
    const data = [x, ...series.map(([, values]) => values)];
    let plot = charts.get(id);
    if (!plot || plot.series.length !== series.length + 1) {
      if (plot) plot.destroy();
      const markOpenings = (u) => {
        const { ctx, bbox } = u;
        ctx.save();
        ctx.strokeStyle = '#cf222e';
        ctx.lineWidth = 2;
        for (const at of u.openings || []) {
          const left = u.valToPos(at, 'x', true);
          ctx.beginPath();
          ctx.moveTo(left, bbox.top);
          ctx.lineTo(left, bbox.top + bbox.height);
          ctx.stroke();
        }
        ctx.restore();
      };
      plot = new window.uPlot(
        {
          title,
          width: Math.max(200, container.clientWidth),
          height: 170,
          series: [{}, ...series.map(([label], i) => ({ label, stroke: COLORS[i % COLORS.length], width: 1.5, points: { show: x.length < 3 } }))],
          // Always the last hour from the data, however few samples there are yet (uPlot stretches a lone sample's axis to years).
          scales: { x: { time: true, range: (u) => [Math.min(u.data[0][0], u.data[0].at(-1) - 3600), u.data[0].at(-1)] }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
          axes: [{}, { size: 48 }],
          hooks: { draw: [markOpenings] },
        },
        data,
        container,
      );
      charts.set(id, plot);
    }
    plot.openings = openings;
    plot.setData(data);
    container.dataset.points = String(x.length);
  }

  async function refreshCharts() {
    const history = await api('/api/metrics/history?minutes=60');
    const samples = history.samples;
    const x = samples.map((s) => Date.parse(s.at) / 1000);
    const openings = samples.filter((s) => s.breakerOpenings.length).map((s) => Date.parse(s.at) / 1000);
    chart('chart-latency', 'Latency (ms)', x, [['p50', samples.map((s) => s.latencyMs.p50)], ['p99', samples.map((s) => s.latencyMs.p99)]], openings);
    chart('chart-rps', 'Requests per second', x, [['req/s', samples.map((s) => s.perSecond)]], openings);
    chart('chart-errors', '5xx answers (%)', x, [['5xx %', samples.map((s) => s.errorRate * 100)]], openings);
    chart(
      'chart-reviews',
      'Reviews per minute',
      x,
      DECISIONS.map((decision) => [decision, samples.map((s) => (s.reviews[decision] * 60) / Math.max(1, s.seconds))]),
      openings,
    );
  }

  /** The next refresh starts when the last one has answered, so a slow server never gets a pile of them. */
  function schedule() {
    clearTimeout(timer);
    const seconds = Number($('refresh').value);
    if (seconds <= 0) return;
    timer = setTimeout(async () => {
      if (!document.hidden) await refresh();
      schedule();
    }, seconds * 1000);
  }

  const clearCache = (name) =>
    adminAction(
      (result) => `Cleared ${result.cleared.join(', ')}`,
      () => api('/api/cache/clear', { method: 'POST', body: { cache: name }, admin: true }),
    );

  const resetBreaker = (name) =>
    adminAction(
      (breaker) => `Breaker ${breaker.name} is ${breaker.state}`,
      () => api(`/api/admin/circuit-breakers/${encodeURIComponent(name)}/reset`, { method: 'POST', admin: true }),
    );

  async function showAudit() {
    try {
      const page = await api('/api/admin/audit?limit=20', { admin: true });
      fillTable('audit', page.entries.map((e) => [time(e.createdAt), e.action, e.target, e.correlationId]), 'No admin actions yet');
      $('audit').hidden = false;
      adminResult(`Audit log: ${page.entries.length} latest entries`);
    } catch (error) {
      adminResult(describe(error), true);
    }
  }

  async function showReport(jobId) {
    try {
      const report = await api(`/api/reports/${encodeURIComponent(jobId)}`);
      $('report-title').textContent = `Report of job ${jobId}`;
      $('report-body').textContent = report.markdown;
      $('report').hidden = false;
    } catch (error) {
      adminResult(describe(error), true);
    }
  }

  async function loadAgents() {
    const select = $('chat-agent');
    try {
      const catalog = await api('/api/agents?mode=chat');
      const agents = catalog.agents.filter((agent) => agent.kind === 'llm');
      select.replaceChildren(...agents.map((agent) => el('option', `${agent.name} (${agent.id})`, { value: agent.id })));
      if (!agents.length) select.append(el('option', 'No agent is allowed in chat', { value: '' }));
    } catch (error) {
      select.replaceChildren(el('option', 'Agents unavailable', { value: '' }));
      chatEntry('error', describe(error));
    }
  }

  function chatEntry(kind, text, meta) {
    const li = el('li', null, { class: `chat-${kind}` });
    const body = el('p', text);
    li.append(body);
    if (meta) li.append(el('small', meta, { class: 'muted' }));
    $('chat-log').append(li);
    li.scrollIntoView({ block: 'nearest' });
    return { li, body };
  }

  /** The answer is streamed into its entry as it arrives; a stream that breaks keeps what came and says why. */
  async function sendChat(event) {
    event.preventDefault();
    const agentId = $('chat-agent').value;
    const message = $('chat-input').value.trim();
    if (!agentId || !message) return;
    const history = conversations.get(agentId) || [];
    chatEntry('user', message, `to ${agentId}`);
    $('chat-send').disabled = true;
    let answer = null;
    let text = '';
    try {
      const { meta, done } = await streamed('/api/chat', { agentId, message, history: history.slice(-MAX_HISTORY) }, (content) => {
        answer = answer || chatEntry('agent', '');
        text += content;
        answer.body.textContent = text;
        answer.li.scrollIntoView({ block: 'nearest' });
      });
      answer.li.append(el('small', `${meta.agentId} · ${meta.provider} ${meta.model} · ${done.usage ? `${done.usage.totalTokens} tokens · ` : ''}${meta.correlationId}`, { class: 'muted' }));
      history.push({ role: 'user', content: message }, { role: 'assistant', content: text });
      conversations.set(agentId, history.slice(-MAX_HISTORY));
      $('chat-input').value = '';
    } catch (error) {
      chatEntry('error', describe(error));
    } finally {
      $('chat-send').disabled = false;
    }
  }

  function saveCredentials(event) {
    event.preventDefault();
    const token = $('admin-token').value.trim();
    const key = $('api-key').value.trim();
    if (token) session.setItem(TOKEN, token);
    if (key) session.setItem(API_KEY, key);
    $('admin-token').value = '';
    $('api-key').value = '';
    adminResult(`Using ${[token && 'the admin token', key && 'the API key'].filter(Boolean).join(' and ') || 'nothing new'} in this tab`);
    refresh();
    loadAgents();
  }

  function forgetCredentials() {
    session.removeItem(TOKEN);
    session.removeItem(API_KEY);
    adminResult('Credentials forgotten');
  }

  $('credentials').addEventListener('submit', saveCredentials);
  $('forget').addEventListener('click', forgetCredentials);
  $('clear-all').addEventListener('click', () => clearCache('all'));
  $('show-audit').addEventListener('click', showAudit);
  $('chat-form').addEventListener('submit', sendChat);
  $('refresh').addEventListener('change', schedule);
  const requested = new URLSearchParams(window.location.search).get('refresh');
  if (requested && [...$('refresh').options].some((o) => o.value === requested)) $('refresh').value = requested;

  paintLastKnown();
  refresh();
  loadAgents();
  schedule();
})();

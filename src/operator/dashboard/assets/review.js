'use strict';
// One review as a person reads it: the decision and its reasons, each reviewer, the findings with the code
// around them (from the diff, every secret masked by the server), what was not reviewed, links and downloads.
// A job still queued or running refreshes itself until it ends.
(() => {
  const { $, api, el, time } = window.BSM;
  const { refused, keyForm, decisionBadge } = window.BSMPages;
  const jobId = decodeURIComponent(window.location.pathname.split('/').pop());
  const CONTEXT = 2;

  /** New-file line number → { text, added } for each hunk of a unified diff. */
  function linesOf(patch) {
    const lines = new Map();
    let next = 0;
    for (const line of (patch || '').split('\n')) {
      const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
      if (hunk) next = Number(hunk[1]);
      else if (line.startsWith('+')) lines.set(next++, { text: line.slice(1), added: true });
      else if (line.startsWith(' ')) lines.set(next++, { text: line.slice(1), added: false });
    }
    return lines;
  }

  function codeAround(lines, line) {
    const pre = el('pre', null, { class: 'code' });
    for (let n = line - CONTEXT; n <= line + CONTEXT; n++) {
      const at = lines.get(n);
      if (!at) continue;
      const row = el('span', null, { class: `${at.added ? 'added' : ''}${n === line ? ' focus' : ''}` });
      row.append(el('span', String(n), { class: 'ln' }), `${at.added ? '+' : ' '} ${at.text}\n`);
      pre.append(row);
    }
    return pre.childNodes.length ? pre : el('p', 'The line is not in the stored diff.', { class: 'muted' });
  }

  function renderFindings(job, files) {
    const byFile = new Map();
    for (const result of job.results || []) {
      for (const finding of result.findings) {
        const key = finding.file || '(no file)';
        if (!byFile.has(key)) byFile.set(key, []);
        byFile.get(key).push({ ...finding, agentId: result.agentId });
      }
    }
    const patches = new Map(files.files.map((f) => [f.filename, linesOf(f.patch)]));
    const container = $('findings');
    container.replaceChildren();
    if (!byFile.size) container.append(el('p', 'No findings.', { class: 'muted' }));
    for (const [file, findings] of byFile) {
      const block = el('article', null, { class: 'file' });
      block.append(el('h3', file));
      for (const finding of findings.sort((a, b) => (a.line || 0) - (b.line || 0))) {
        const item = el('div', null, { class: 'finding', 'data-severity': finding.severity });
        const head = el('p');
        head.append(el('span', finding.severity, { class: 'severity', 'data-severity': finding.severity }), ' ');
        if (finding.rule) head.append(el('code', finding.rule), ' ');
        head.append(`${finding.line ? `line ${finding.line}: ` : ''}${finding.message}`, el('span', ` — ${finding.agentId}`, { class: 'muted' }));
        item.append(head);
        if (finding.fix) item.append(el('p', `Fix: ${finding.fix}`, { class: 'fix' }));
        if (finding.line && patches.has(file)) item.append(codeAround(patches.get(file), finding.line));
        block.append(item);
      }
      container.append(block);
    }
  }

  /** Findings set aside, with who did it (a bsm-ignore in the change, or .bsm.yml) and why: never silent. */
  function renderSuppressed(job) {
    const items = (job.results || []).flatMap((result) =>
      (result.suppressed || []).map((finding) => {
        const where = finding.file ? `${finding.file}${finding.line ? `:${finding.line}` : ''}` : 'pull request';
        const by = finding.suppressedBy === 'inline' ? `bsm-ignore in the code: “${finding.reason}”` : finding.reason;
        const li = el('li');
        li.append(el('span', finding.severity, { class: 'severity', 'data-severity': finding.severity }), ' ');
        if (finding.rule) li.append(el('code', finding.rule), ' ');
        li.append(`${where}: ${finding.message}`, el('span', ` — ${by}`, { class: 'muted' }));
        return li;
      }),
    );
    $('suppressed').replaceChildren(...(items.length ? items : [el('li', 'Nothing was suppressed.', { class: 'muted' })]));
  }

  function renderAgents(job) {
    const body = $('agents').tBodies[0];
    body.replaceChildren(
      ...(job.results || []).map((result) => {
        const tr = el('tr');
        const status = result.status === 'success' ? 'ran' : `${result.status}${result.reason ? `: ${result.reason}` : ''}`;
        for (const cell of [result.agentId, result.kind, status, result.verdict || '—', result.output || '—']) tr.append(el('td', cell));
        return tr;
      }),
    );
  }

  /** The report's downloads, fetched with the page's API key (a plain link could not send it). */
  async function downloads(markdown, sarif) {
    const id = encodeURIComponent(jobId);
    const [report, log] = await Promise.all([api(`/api/reports/${id}`), api(`/api/reports/${id}/sarif`)]);
    markdown.href = URL.createObjectURL(new Blob([report.markdown], { type: 'text/markdown' }));
    markdown.download = `review-${jobId}.md`;
    sarif.href = URL.createObjectURL(new Blob([JSON.stringify(log, null, 2)], { type: 'application/sarif+json' }));
    sarif.download = `review-${jobId}.sarif`;
  }

  async function render(job, files) {
    $('review-title').textContent = `${job.repo || 'Review'}${job.pr ? ` #${job.pr}` : ''}`;
    const ended = !['queued', 'running'].includes(job.status);
    $('status').textContent = ended
      ? `${job.status} ${time(job.finishedAt)}${job.error ? ` — ${job.error}` : ''}`
      : `${job.status}… this page updates by itself`;
    $('decision').replaceChildren();
    $('reasons').replaceChildren();
    if (job.decision) {
      $('decision').append(decisionBadge(job.decision.action), ` ${job.decision.reason}`);
      $('reasons').append(...job.decision.reasons.map((reason) => el('li', reason)));
    }
    const links = $('links');
    links.replaceChildren();
    if (job.repo && job.pr) links.append(el('a', 'Pull request on GitHub', { href: `https://github.com/${job.repo}/pull/${job.pr}`, rel: 'noopener' }), ' · ');
    if (job.status === 'completed') {
      const md = el('a', 'Markdown report', { href: '#' });
      const sarif = el('a', 'SARIF', { href: '#' });
      links.append(md, ' · ', sarif);
      await downloads(md, sarif);
    }
    renderAgents(job);
    renderFindings(job, files);
    renderSuppressed(job);
    const unreviewed = [
      ...(job.decision ? job.decision.skippedAgents.map((agent) => `${agent}: skipped`) : []),
      ...(files.fetchedAtRunTime ? ['The diff was fetched from GitHub when the review ran and is not stored: code lines cannot be shown.'] : []),
    ];
    $('unreviewed').replaceChildren(...(unreviewed.length ? unreviewed.map((text) => el('li', text)) : [el('li', 'Everything was reviewed.', { class: 'muted' })]));
    return ended;
  }

  async function load() {
    try {
      const [job, files] = await Promise.all([api(`/api/orchestrator/jobs/${encodeURIComponent(jobId)}`), api(`/api/orchestrator/jobs/${encodeURIComponent(jobId)}/files`)]);
      if (!(await render(job, files))) setTimeout(load, 1000);
    } catch (error) {
      refused(error);
      $('status').textContent = 'Could not load this review.';
    }
  }

  keyForm(load);
  load();
})();

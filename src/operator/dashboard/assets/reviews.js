'use strict';
// The reviews list: newest first, filtered by repository, decision and dates, paged on the API's cursor.
(() => {
  const { $, api, el, time } = window.BSM;
  const { refused, keyForm, decisionBadge, banner } = window.BSMPages;
  let cursor = null;

  function query() {
    const params = new URLSearchParams({ limit: '20' });
    const repo = $('f-repo').value.trim();
    if (repo) params.set('repo', repo);
    if ($('f-decision').value) params.set('decision', $('f-decision').value);
    if ($('f-since').value) params.set('since', new Date(`${$('f-since').value}T00:00:00`).toISOString());
    if ($('f-until').value) params.set('until', new Date(new Date(`${$('f-until').value}T00:00:00`).getTime() + 86_400_000).toISOString());
    if (cursor) params.set('cursor', cursor);
    return params;
  }

  function findingsCell(findings) {
    const parts = Object.entries(findings).filter(([, count]) => count > 0);
    if (!parts.length) return el('span', 'none', { class: 'muted' });
    const cell = el('span');
    for (const [severity, count] of parts) cell.append(el('span', `${count} ${severity}`, { class: 'severity', 'data-severity': severity }), ' ');
    return cell;
  }

  function row(review) {
    const tr = el('tr', null, { 'data-job': review.jobId });
    const link = el('a', `${review.pr ? `#${review.pr} ` : ''}${review.title || review.event}`, { href: `/reviews/${encodeURIComponent(review.jobId)}` });
    const cells = [
      link,
      review.repo || '—',
      review.headSha ? el('code', review.headSha.slice(0, 7), { title: review.headSha }) : '—',
      review.decision ? decisionBadge(review.decision) : el('span', review.status, { class: 'muted' }),
      findingsCell(review.findings),
      time(review.createdAt),
      review.durationMs === null ? '—' : `${(review.durationMs / 1000).toFixed(1)} s`,
    ];
    for (const cell of cells) {
      const td = el('td');
      td.append(cell);
      tr.append(td);
    }
    return tr;
  }

  async function load(append = false) {
    if (!append) cursor = null;
    try {
      const page = await api(`/api/reviews?${query()}`);
      const body = $('reviews').tBodies[0];
      if (!append) body.replaceChildren();
      body.append(...page.reviews.map(row));
      if (!body.rows.length) {
        const empty = el('tr');
        empty.append(el('td', 'No reviews match', { colspan: '7', class: 'muted' }));
        body.append(empty);
      }
      cursor = page.nextCursor;
      $('more').hidden = !cursor;
      banner('');
    } catch (error) {
      refused(error);
    }
  }

  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  $('more').addEventListener('click', () => load(true));
  keyForm(() => load());
  load();
})();

'use strict';
// What the review pages share beyond common.js: the banner, the API key form shown on 401/403, decision badges.
window.BSMPages = (() => {
  const { $, session, API_KEY, ApiError, describe, el } = window.BSM;

  function banner(message) {
    $('banner').hidden = !message;
    $('banner').textContent = message || '';
  }

  /** A refused call says why, and a 401 offers the key form (the key stays in this tab, never in a URL). */
  function refused(error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      $('key-form').hidden = false;
      banner(`${describe(error)}. ${error.status === 401 ? 'Enter an API key above.' : 'This key may not read reviews.'}`);
    } else {
      banner(describe(error));
    }
  }

  function keyForm(onSaved) {
    $('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const key = $('api-key').value.trim();
      if (key) session.setItem(API_KEY, key);
      $('api-key').value = '';
      $('key-form').hidden = true;
      banner('');
      onSaved();
    });
  }

  const DECISION_LABELS = { approve: 'approve', request_changes: 'request changes', block_pr: 'block', manual_review: 'manual review' };

  function decisionBadge(action) {
    return el('span', action ? DECISION_LABELS[action] || action : 'pending', { class: 'badge', 'data-decision': action || 'pending' });
  }

  return { banner, refused, keyForm, decisionBadge };
})();

'use strict';
// What BSM's pages share (the dashboard and the review pages): same-origin API calls that carry the tab's
// API key and admin token, server errors as ApiError, streamed answers, and DOM helpers. Every value from the
// server is written with textContent, never as HTML; keys live in the tab's sessionStorage, never in a URL.
window.BSM = (() => {
  const $ = (id) => document.getElementById(id);
  const session = window.sessionStorage;
  const TOKEN = 'bsm.adminToken';
  const API_KEY = 'bsm.apiKey';

  class ApiError extends Error {
    constructor(status, code, message, correlationId) {
      super(message);
      this.status = status;
      this.code = code;
      this.correlationId = correlationId;
    }
    describe() {
      const ref = this.correlationId ? ` (correlation id ${this.correlationId})` : '';
      return `${this.code}: ${this.message}${ref}`;
    }
  }

  function headersFor({ admin = false, json = false, accept = 'application/json' } = {}) {
    const headers = { accept };
    const key = session.getItem(API_KEY);
    if (key) headers['x-api-key'] = key;
    if (admin && session.getItem(TOKEN)) headers['x-admin-token'] = session.getItem(TOKEN);
    if (json) headers['content-type'] = 'application/json';
    return headers;
  }

  async function send(path, init) {
    try {
      return await fetch(path, { ...init, credentials: 'same-origin' });
    } catch (error) {
      throw new ApiError(0, 'NETWORK_ERROR', `BSM did not answer (${error.message})`, null);
    }
  }

  /** The server's error answer as an ApiError carrying its code and message. */
  async function failure(res) {
    const text = await res.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    const error = data && data.error;
    return new ApiError(
      res.status,
      error ? error.code : `HTTP_${res.status}`,
      error ? error.message : text.slice(0, 200) || res.statusText,
      (data && data.correlationId) || res.headers.get('x-correlation-id'),
    );
  }

  /** Same-origin JSON call; a failure becomes an ApiError carrying the server's code and message. */
  async function api(path, { method = 'GET', body, admin = false, accept = [] } = {}) {
    const res = await send(path, {
      method,
      headers: headersFor({ admin, json: body !== undefined }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok && !accept.includes(res.status)) throw await failure(res);
    const text = await res.text();
    try {
      return text ? JSON.parse(text) : null;
    } catch {
      return null;
    }
  }

  /**
   * A streamed chat answer (server-sent events): `onDelta` gets each piece of text as it arrives; resolves with
   * the `meta` and `done` events, or rejects with the stream's `error` event (or the JSON error before it).
   */
  async function streamed(path, body, onDelta) {
    const res = await send(path, { method: 'POST', headers: headersFor({ json: true, accept: 'text/event-stream' }), body: JSON.stringify({ ...body, stream: true }) });
    if (!res.ok || !(res.headers.get('content-type') || '').startsWith('text/event-stream')) throw await failure(res);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let meta = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new ApiError(res.status, 'STREAM_INTERRUPTED', 'The stream ended without an answer', meta && meta.correlationId);
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = (/^event: (.+)$/m.exec(frame) || [])[1];
        const data = JSON.parse((/^data: (.*)$/m.exec(frame) || [])[1] || 'null');
        if (name === 'meta') meta = data;
        else if (name === 'delta') onDelta(data.content);
        else if (name === 'done') return { meta, done: data };
        else if (name === 'error') throw new ApiError(res.status, data.code, data.message, meta && meta.correlationId);
      }
    }
  }

  const describe = (error) => (error instanceof ApiError ? error.describe() : String(error));

  function el(tag, text, attributes = {}) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    return node;
  }

  const time = (iso) => (iso ? new Date(iso).toLocaleString() : '—');

  return { $, session, TOKEN, API_KEY, ApiError, api, streamed, describe, el, time };
})();

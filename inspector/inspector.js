/* mirra inspector: a live timeline per session (vanilla JS, no build step).
 * Polls GET /_mirra/events?session=&q= and GET /_mirra/inspect/messages/:sid (calls/:sid for a
 * CA… SID: its transcript); state lives in the
 * URL hash (#session=ID&q=FILTER&message=SID) so a view can be shared or reloaded.
 * Everything from the mirror is inserted as text, never as HTML. */
(function () {
  'use strict';
  var POLL_MS = 1000;
  var $ = function (id) { return document.getElementById(id); };
  var state = { session: '', q: '', message: '', open: {}, lastEvents: '', lastDetail: '', timer: null };

  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ''));
    state.session = p.get('session') || state.session;
    state.q = p.get('q') || '';
    state.message = p.get('message') || '';
  }
  function writeHash() {
    var p = new URLSearchParams();
    if (state.session) p.set('session', state.session);
    if (state.q) p.set('q', state.q);
    if (state.message) p.set('message', state.message);
    history.replaceState(null, '', '#' + p.toString());
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'class') node.className = attrs[k];
      else if (k.indexOf('on') === 0) node.addEventListener(k.slice(2), attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }

  // A mirror reachable beyond loopback wants its token: the page was opened with ?token=.
  var token = new URLSearchParams(location.search).get('token');

  function getJson(path) {
    var headers = { accept: 'application/json' };
    if (token) headers['x-mirra-token'] = token;
    return fetch(path, { headers: headers }).then(function (res) {
      return res.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        if (!res.ok) {
          var msg = body && body.message ? body.code + ': ' + body.message : 'HTTP ' + res.status;
          throw new Error(msg);
        }
        return body;
      });
    });
  }

  function showError(message) {
    var box = $('error');
    box.hidden = !message;
    box.textContent = message || '';
  }

  function clockText(iso) { return iso ? iso.replace('T', ' ').replace('Z', '') : ''; }

  function kv(obj) {
    var dl = el('dl', { class: 'kv' });
    Object.keys(obj).forEach(function (k) {
      var v = obj[k];
      if (v === undefined) return;
      var text = v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v, null, 2) : String(v);
      dl.appendChild(el('dt', { text: k }));
      dl.appendChild(el('dd', { text: text }));
    });
    return dl;
  }

  function isMessageSid(sid) { return /^(SM|MM|CA)[0-9a-f]{32}$/.test(sid); }
  function isCallSid(sid) { return /^CA/.test(sid); }

  function sidButton(sid) {
    return el('button', {
      type: 'button', class: 'sid', text: sid, title: isMessageSid(sid) ? (isCallSid(sid) ? 'Open this call' : 'Open this message') : 'Filter by this SID',
      onclick: function (ev) {
        ev.stopPropagation();
        if (isMessageSid(sid)) openMessage(sid);
        else setFilter(sid);
      },
    });
  }

  function attemptsTable(attempts) {
    var table = el('table', { class: 'attempts' }, [
      el('tr', {}, ['#', 'at', 'url', 'answer', 'error', 'ms'].map(function (h) { return el('th', { text: h }); })),
    ]);
    attempts.forEach(function (a, i) {
      table.appendChild(el('tr', {}, [
        String(i + 1), new Date(a.at).toISOString(), a.url, a.statusCode === undefined ? '—' : String(a.statusCode), a.error || '', String(a.durationMs),
      ].map(function (c) { return el('td', { text: c }); })));
    });
    return table;
  }

  function callbackBlock(e) {
    var d = e.detail;
    var box = el('div', { class: 'callback tone-' + e.tone, 'data-id': e.id }, [
      el('h4', { text: e.title }),
      kv({
        'state': d.state,
        'X-Twilio-Signature': d.signature,
        "app's answer": d.response ? (d.response.statusCode === undefined ? 'none' : String(d.response.statusCode)) + (d.response.body ? ' ' + d.response.body : '') : 'not yet',
        'retries': d.retries,
        'params': d.params,
        'errors': d.errors && d.errors.length ? d.errors : undefined,
      }),
    ]);
    if (d.attempts && d.attempts.length) box.appendChild(attemptsTable(d.attempts));
    return box;
  }

  function renderEvents(data) {
    var list = $('timeline');
    list.textContent = '';
    data.events.forEach(function (e) {
      var li = el('li', { class: 'event type-' + e.type + ' tone-' + e.tone, 'data-id': e.id, 'data-type': e.type });
      var row = el('div', { class: 'row', onclick: function () { state.open[e.id] = !state.open[e.id]; renderEvents(data); } }, [
        el('time', { datetime: e.time, text: clockText(e.time).slice(11) }),
        el('span', { class: 'badge', text: e.type.replace('-', ' ') }),
        el('span', { class: 'title', text: e.title }),
      ]);
      e.sids.forEach(function (sid) { row.appendChild(sidButton(sid)); });
      li.appendChild(row);
      if (state.open[e.id]) {
        var more = el('div', { class: 'more' });
        if (e.type === 'callback' || e.type === 'inbound-webhook') more.appendChild(callbackBlock(e));
        else more.appendChild(kv(e.detail));
        li.appendChild(more);
      }
      list.appendChild(li);
    });
    $('empty').hidden = data.events.length > 0;
    $('summary').textContent = 'Session ' + data.session.id + ' (' + data.session.accountSid + ', seed ' + data.session.seed + ') · clock ' +
      clockText(data.clock.now) + (data.clock.frozen ? ' (frozen)' : '') + ' · ' +
      (data.query ? data.matching + ' of ' + data.total + ' events match "' + data.query + '"' : data.total + ' events');
  }

  /** A call: its fields, then its transcript (what was said, gathered, dialled) and its alerts. */
  function renderCall(body, data) {
    var c = data.call;
    if (!c) return body.appendChild(el('p', { text: 'Not stored in this session.' }));
    body.appendChild(kv({ status: c.status, to: c.to, from: c.from, direction: c.direction, parent_call_sid: c.parent_call_sid, answered_by: c.answered_by, start_time: c.start_time, end_time: c.end_time, duration: c.duration }));
    body.appendChild(el('h3', { text: 'Transcript' }));
    var ol = el('ol', { class: 'transitions' });
    c.transcript.forEach(function (t) { ol.appendChild(el('li', { text: clockText(t.at) + '  ' + t.summary })); });
    if (!c.transcript.length) ol.appendChild(el('li', { text: 'nothing yet' }));
    body.appendChild(ol);
    if (c.alerts.length) {
      body.appendChild(el('h3', { text: 'Alerts' }));
      c.alerts.forEach(function (a) { body.appendChild(el('p', { class: 'tone-error', text: a.code + ' (' + a.level + '): ' + a.message })); });
    }
  }

  function renderDetail(data) {
    var body = $('detail-body');
    body.textContent = '';
    if (isCallSid(data.sid)) {
      body.appendChild(el('h2', {}, ['Call ', el('code', { text: data.sid })]));
      renderCall(body, data);
      body.appendChild(el('h3', { text: 'Callbacks and TwiML requests (' + data.callbacks.length + ')' }));
      data.callbacks.forEach(function (e) { body.appendChild(callbackBlock(e)); });
      return;
    }
    body.appendChild(el('h2', {}, ['Message ', el('code', { text: data.sid })]));
    if (data.message) {
      var m = data.message;
      body.appendChild(kv({ status: m.status, to: m.to, from: m.from, body: m.body, direction: m.direction, messaging_service_sid: m.messaging_service_sid, error_code: m.error_code, error_message: m.error_message, date_created: m.date_created, date_updated: m.date_updated, date_sent: m.date_sent }));
    } else {
      body.appendChild(el('p', { text: 'Not stored in this session (deleted, or answered without being kept).' }));
    }
    body.appendChild(el('h3', { text: 'Status transitions' }));
    var ol = el('ol', { class: 'transitions' });
    data.transitions.forEach(function (t) {
      ol.appendChild(el('li', { text: clockText(t.at) + '  ' + t.status + (t.errorCode ? ' (error ' + t.errorCode + ')' : '') }));
    });
    if (!data.transitions.length) ol.appendChild(el('li', { text: 'none seen' }));
    body.appendChild(ol);
    body.appendChild(el('h3', { text: 'Callbacks (' + data.callbacks.length + ')' }));
    if (!data.callbacks.length) body.appendChild(el('p', { text: 'No callbacks: the message has no StatusCallback (nor a service callback).' }));
    data.callbacks.forEach(function (e) { body.appendChild(callbackBlock(e)); });
  }

  function query(path, extra) {
    var p = new URLSearchParams(extra || {});
    if (state.session) p.set('session', state.session);
    return path + '?' + p.toString();
  }

  function poll() {
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    var jobs = [getJson(query('/_mirra/events', state.q ? { q: state.q } : {})).then(function (data) {
      var text = JSON.stringify(data);
      if (text !== state.lastEvents) { state.lastEvents = text; renderEvents(data); }
    })];
    if (state.message) {
      var kind = isCallSid(state.message) ? 'calls' : 'messages';
      jobs.push(getJson(query('/_mirra/inspect/' + kind + '/' + encodeURIComponent(state.message))).then(function (data) {
        var text = JSON.stringify(data);
        $('detail').hidden = false;
        if (text !== state.lastDetail) { state.lastDetail = text; renderDetail(data); }
      }));
    }
    Promise.all(jobs).then(function () {
      showError('');
      $('status').textContent = ($('pause').checked ? 'paused' : 'live') + ' · updated ' + new Date().toLocaleTimeString();
    }).catch(function (err) {
      showError(String(err.message || err) + ' — is the mirror still running? Reload once it is.');
      $('status').textContent = 'disconnected';
    }).then(function () {
      if (!$('pause').checked) state.timer = setTimeout(poll, POLL_MS);
    });
  }

  function setFilter(q) {
    state.q = q;
    $('filter').value = q;
    writeHash();
    state.lastEvents = '';
    poll();
  }

  function openMessage(sid) {
    state.message = sid;
    state.lastDetail = '';
    writeHash();
    poll();
  }

  function closeMessage() {
    state.message = '';
    $('detail').hidden = true;
    writeHash();
  }

  function loadSessions() {
    return getJson('/_mirra/sessions').then(function (data) {
      var select = $('session');
      select.textContent = '';
      var ids = data.sessions.map(function (s) { return s.sessionId; });
      // Nothing asked for: the newest session (a test's own one; `default` when it is the only one).
      if (!state.session) state.session = ids[ids.length - 1] || '';
      data.sessions.forEach(function (s) {
        select.appendChild(el('option', { value: s.sessionId, text: s.sessionId + ' · ' + s.accountSid + ' · ' + s.seed }));
      });
      select.value = state.session;
    });
  }

  readHash();
  $('filter').value = state.q;
  var debounce = null;
  $('filter').addEventListener('input', function () {
    clearTimeout(debounce);
    var value = $('filter').value.trim();
    debounce = setTimeout(function () { setFilter(value); }, 200);
  });
  $('session').addEventListener('change', function () {
    state.session = $('session').value;
    state.lastEvents = '';
    closeMessage();
    poll();
  });
  $('pause').addEventListener('change', function () { if (!$('pause').checked) poll(); else $('status').textContent = 'paused'; });
  $('close-detail').addEventListener('click', closeMessage);
  window.addEventListener('hashchange', function () { readHash(); $('filter').value = state.q; state.lastEvents = ''; state.lastDetail = ''; if (!state.message) $('detail').hidden = true; poll(); });
  loadSessions().catch(function (err) { showError(String(err.message || err) + ' — is the mirror still running?'); }).then(function () { writeHash(); poll(); });
})();

// The alerts page's live updates: server-sent events from /alerts/stream, each change listed at the top
// and announced in the page's polite live region. Without script the page is complete; reload shows all.
(function () {
  'use strict';
  var list = document.getElementById('live-list');
  var state = document.getElementById('live-state');
  if (!list || !window.EventSource) return;
  var WORDS = {
    fired: 'fired',
    resolved: 'resolved',
    acknowledged: 'acknowledged by',
    resolved_manually: 'resolved by',
    false_positive: 'marked false positive by',
    escalated: 'escalated',
  };
  var PRIORITY = { critical: 'P1', high: 'P2', medium: 'P3', low: 'P3' };
  var source = new EventSource(list.getAttribute('data-stream'));
  source.addEventListener('open', function () {
    state.textContent = 'Live: changes appear here as they happen.';
  });
  source.addEventListener('error', function () {
    state.textContent = 'Live updates interrupted; retrying. Reload to see the full list.';
  });
  source.addEventListener('change', function (event) {
    var change;
    try {
      change = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    var priority = PRIORITY[change.severity] || 'P3';
    var verb = WORDS[change.event] || change.event;
    var withActor = /by$/.test(verb) ? verb + ' ' + change.actor : verb;
    var item = document.createElement('li');
    item.className = 'live-' + change.event;
    item.setAttribute('data-fingerprint', change.fingerprint);
    var badge = document.createElement('span');
    badge.className = 'badge sev-' + change.severity;
    badge.textContent = priority + ' ' + change.severity;
    var link = document.createElement('a');
    link.href = '/alerts/' + encodeURIComponent(change.fingerprint);
    link.textContent = change.alertname;
    var time = document.createElement('time');
    time.setAttribute('datetime', change.at);
    time.textContent = change.at;
    item.appendChild(badge);
    item.appendChild(document.createTextNode(' '));
    item.appendChild(link);
    item.appendChild(document.createTextNode(' ' + withActor + ' at '));
    item.appendChild(time);
    list.insertBefore(item, list.firstChild);
    window.vigilNotice(priority + ' ' + change.alertname + ' ' + withActor);
  });
  window.addEventListener('pagehide', function () {
    source.close();
  });
})();

/**
 * GET /status.js: the status page's only script, served from the same origin so the page's CSP can
 * say `script-src 'self'` (no inline script). It rewrites every `<time datetime="ISO">` into the
 * reader's time zone and locale ("7 Dec 2026, 14:05 GMT+1 (3 minutes ago)") and refreshes the
 * relative part every 30 s; the ISO instant moves to the title. Without script the ISO text stays.
 * Plain ES2017 on purpose: it is sent as written, not compiled.
 */
export const STATUS_SCRIPT = `(function () {
  'use strict';
  var absolute = new Intl.DateTimeFormat(undefined, {
    year: 'numeric', month: 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit', timeZoneName: 'short'
  });
  var relative = typeof Intl.RelativeTimeFormat === 'function'
    ? new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })
    : null;
  var units = [[60, 'second'], [60, 'minute'], [24, 'hour'], [30, 'day'], [12, 'month'], [Infinity, 'year']];

  function phrase(deltaMs) {
    var value = deltaMs / 1000;
    for (var i = 0; i < units.length; i += 1) {
      if (Math.abs(value) < units[i][0]) return relative.format(Math.round(value), units[i][1]);
      value /= units[i][0];
    }
    return '';
  }

  function rewrite() {
    var now = Date.now();
    var times = document.querySelectorAll('time[datetime]');
    for (var i = 0; i < times.length; i += 1) {
      var element = times[i];
      var iso = element.getAttribute('datetime');
      var at = Date.parse(iso);
      if (isNaN(at)) continue;
      element.textContent = absolute.format(new Date(at)) + (relative ? ' (' + phrase(at - now) + ')' : '');
      element.setAttribute('title', iso);
    }
  }

  rewrite();
  setInterval(rewrite, 30000);
})();
`;

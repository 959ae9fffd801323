// The console's shared script. Pages work without it (forms post, links navigate); it adds live updates
// and confirmations. No inline handlers anywhere: the CSP allows only scripts from this origin.
(function () {
  'use strict';
  var csrf = document.querySelector('meta[name="csrf-token"]');

  /** fetch with the session's CSRF token, for scripts that write. */
  window.vigilFetch = function (url, options) {
    options = options || {};
    options.headers = Object.assign({ accept: 'application/json' }, options.headers || {});
    if (csrf) options.headers['x-csrf-token'] = csrf.getAttribute('content');
    options.credentials = 'same-origin';
    return fetch(url, options);
  };

  /** Announces a message in the page's polite live region. */
  window.vigilNotice = function (message) {
    var region = document.getElementById('notice');
    if (region) region.textContent = message;
  };

  // <form data-confirm="Expire this silence?">: asks before a destructive write.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();

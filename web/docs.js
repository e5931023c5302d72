// Starts Swagger UI (self-hosted from swagger-ui-dist) over this app's OpenAPI document. The function key is never
// in the page: the user enters it in the Authorize dialog (or opens the page with ?code=, which function-key routes
// accept as well), and it is not persisted.
'use strict';
(function () {
  var base = window.location.origin + '/api';
  var example = document.getElementById('curl-example');
  if (example) example.textContent = 'curl ' + base + '/health';
  var ui = window.SwaggerUIBundle({
    url: base + '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: false,
    docExpansion: 'list',
    persistAuthorization: false,
    tryItOutEnabled: false,
    defaultModelsExpandDepth: 0,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    // Plain response bodies: the highlighter's colours fall below WCAG contrast.
    syntaxHighlight: false,
    onComplete: function () {
      var code = new URLSearchParams(window.location.search).get('code');
      if (code) ui.preauthorizeApiKey('functionKey', code);
    },
  });
  window.aksAiopsDocs = ui;

  // Swagger UI renders a few controls without an accessible name or keyboard access; name them as they appear.
  var root = document.getElementById('swagger-ui');
  new MutationObserver(function () {
    var servers = root.querySelector('select#servers:not([aria-label])');
    if (servers) servers.setAttribute('aria-label', 'Server');
    root.querySelectorAll('select:not([aria-label]):not([id])').forEach(function (s) {
      s.setAttribute('aria-label', 'Option');
    });
    root.querySelectorAll('pre:not([tabindex]), .microlight:not([tabindex])').forEach(function (p) {
      p.setAttribute('tabindex', '0');
    });
  }).observe(root, { childList: true, subtree: true });
})();

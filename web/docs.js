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
    deepLinking: true,
    docExpansion: 'list',
    persistAuthorization: false,
    tryItOutEnabled: false,
    defaultModelsExpandDepth: 0,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    onComplete: function () {
      var code = new URLSearchParams(window.location.search).get('code');
      if (code) ui.preauthorizeApiKey('functionKey', code);
    },
  });
  window.aksAiopsDocs = ui;
})();

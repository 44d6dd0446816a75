// Starts Swagger UI (vendored in static/swagger-ui/) on the service's own OpenAPI document, for /docs.
// Nothing is fetched from another host: validatorUrl null turns off the badge that would ask
// validator.swagger.io about the document; the page's CSP would block it anyway.
"use strict";
(function () {
  // painlink's colour corrections (api-docs.css), after Swagger UI's own stylesheet.
  const corrections = document.createElement("link");
  corrections.rel = "stylesheet";
  corrections.href = "/static/api-docs.css";
  document.head.appendChild(corrections);
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapi,
    dom_id: "#swagger-ui",
    // No deep links: each would be a link inside an operation's button (axe: nested-interactive, serious).
    deepLinking: false,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();

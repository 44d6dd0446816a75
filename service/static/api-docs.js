// Starts Swagger UI (vendored in static/swagger-ui/) on the service's own OpenAPI document, for /docs.
// Nothing is fetched from another host: validatorUrl null turns off the badge that would ask
// validator.swagger.io about the document; the page's CSP would block it anyway.
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapi,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();

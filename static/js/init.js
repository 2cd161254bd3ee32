// Load with:
//   <script type="module" src="{% static 'js/init.js' %}"
//           data-nhsuk-frontend="{% static 'vendor/nhsuk-frontend/nhsuk-frontend.min.js' %}"></script>
// The template passes the vendored module's URL so it carries the manifest
// hash: ManifestStaticFilesStorage leaves a static `import` in this file
// unhashed unless support_js_module_import_aggregation is enabled.
const script = document.querySelector("script[data-nhsuk-frontend]");
const src = script
  ? script.dataset.nhsukFrontend
  : new URL("../vendor/nhsuk-frontend/nhsuk-frontend.min.js", import.meta.url);

// Replaces the inline script in NHS.UK's page template, which a strict CSP
// forbids; only browsers that run modules reach this line.
document.body.classList.add("js-enabled", "nhsuk-frontend-supported");

import(src).then(({ initAll }) => initAll());

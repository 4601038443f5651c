// Hearth's only script. JavaScript is progressive enhancement: every page
// works without it, and there is no inline script anywhere (the
// Content-Security-Policy forbids it). The layout loads it as
//
//   <script type="module" src="/assets/hearth.HASH.js"
//           data-govuk-frontend="/assets/govuk-frontend.min.HASH.js"></script>
//
// Asset URLs carry a hash of their content, so the page tells us where
// govuk-frontend's ES module bundle is; without the attribute we look for it
// next to this file.
const script = document.querySelector('script[data-govuk-frontend]')
const bundle = script ? script.dataset.govukFrontend : './govuk-frontend.min.js'

import(bundle).then(({ initAll }) => {
  // Only once govuk-frontend has loaded: these classes switch on styles that
  // expect its JavaScript to be running.
  document.body.classList.add('govuk-frontend-supported', 'js-enabled')
  initAll()
})

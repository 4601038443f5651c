// Hearth's only script, loaded as <script type="module" src="/assets/hearth.js">.
// JavaScript is progressive enhancement: every page works without it.
// There is no inline script anywhere (the Content-Security-Policy forbids it).
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('govuk-frontend-supported', 'js-enabled')
initAll()

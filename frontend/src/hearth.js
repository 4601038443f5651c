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

// A Family Hub session's register keeps working through a lost connection. Each tick is a
// mark with its own id, kept on this device until Hearth has it and sent again when the
// connection is back; Hearth keeps each mark id once, so a mark sent twice counts once.
// Without this script the register is one ordinary form.
function markId () {
  return window.crypto && window.crypto.randomUUID
    ? window.crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
}

function register (form) {
  const url = form.dataset.hearthRegister
  const key = `hearth-marks:${url}`
  const status = form.querySelector('#register-status')
  const csrf = form.querySelector('input[name="csrf_token"]').value
  const queue = () => JSON.parse(window.localStorage.getItem(key) || '[]')
  const keep = (marks) => window.localStorage.setItem(key, JSON.stringify(marks))
  const say = (text) => { if (status) status.textContent = text }
  // The request on its way, if any; asked again while it is, send once more after it.
  let inFlight = null
  let again = false

  async function send () {
    if (inFlight) {
      again = true
      return
    }
    inFlight = new AbortController()
    try {
      for (const mark of queue()) {
        let response
        try {
          response = await fetch(url, {
            method: 'POST',
            credentials: 'same-origin',
            redirect: 'manual',
            signal: AbortSignal.any([inFlight.signal, AbortSignal.timeout(5000)]),
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ csrf_token: csrf, mark_id: mark.id, member: mark.member, present: String(mark.present) })
          })
        } catch {
          break // offline: keep the marks for later
        }
        if (response.type === 'opaqueredirect' || response.status >= 500 || response.status === 429) {
          break // signed out, or Hearth busy: keep them
        }
        keep(queue().filter((m) => m.id !== mark.id))
        if (!response.ok) say('Hearth refused a mark. Reload the register to see what it kept.')
      }
    } finally {
      inFlight = null
    }
    if (again) {
      again = false
      send()
      return
    }
    const left = queue().length
    if (left === 0) {
      say('Every mark is saved.')
    } else {
      say(`${left} ${left === 1 ? 'mark is' : 'marks are'} kept on this device and will be sent when you are back online.`)
    }
  }

  // Marks still waiting from before a reload show as ticked.
  for (const mark of queue()) {
    const box = form.querySelector(`input[name="present"][value="${mark.member}"]`)
    if (box) box.checked = mark.present
  }
  form.addEventListener('change', (event) => {
    const box = event.target
    if (!box.matches('input[name="present"]')) return
    keep([...queue(), { id: markId(), member: box.value, present: box.checked }])
    send()
  })
  form.addEventListener('submit', (event) => {
    if (!navigator.onLine) {
      event.preventDefault()
      send()
    }
  })
  // Back online: a request begun while offline may be waiting out its timeout, so it is
  // dropped and the marks go at once.
  window.addEventListener('online', () => {
    if (inFlight) inFlight.abort()
    send()
  })
  window.setInterval(() => { if (queue().length > 0) send() }, 3000)
  if (queue().length > 0) send()
}

document.querySelectorAll('form[data-hearth-register]').forEach(register)

// A partner's file being imported: the progress bar follows the import by asking Hearth
// every second, and the page is loaded again when the import ends, to show its report.
// Without this script the page has a "Check again" link.
function watchImport (box) {
  const bar = box.querySelector('progress')
  const status = box.querySelector('[data-hearth-import-status]')
  const tick = () => {
    window.fetch(box.dataset.hearthImport, { headers: { Accept: 'application/json' } })
      .then((res) => res.ok ? res.json() : Promise.reject(new Error(String(res.status))))
      .then((job) => {
        if (job.state !== 'running') {
          window.location.reload()
          return
        }
        bar.max = Math.max(job.rows_total, 1)
        bar.value = job.rows_done
        bar.textContent = `${job.rows_done} of ${job.rows_total}`
        status.textContent = `${job.rows_done} of ${job.rows_total} rows: ${job.matched} matched, ${job.for_review} for review, ${job.unmatched} unmatched, ${job.rejected} not imported.`
        window.setTimeout(tick, 1000)
      })
      .catch(() => window.setTimeout(tick, 3000))
  }
  window.setTimeout(tick, 1000)
}

document.querySelectorAll('[data-hearth-import]').forEach(watchImport)

// Passkeys (ADR 0051): adding one at /account/two-factor and giving one at /sign-in/code.
// WebAuthn is only reachable from script (navigator.credentials), so these forms are hidden
// until this finds a browser that has it; without it the code from an app stays. The
// challenge is asked of Hearth (with the form's CSRF token, and for a new passkey the
// password again), the browser's answer goes into the form's hidden `credential` field, and
// the form is submitted as usual, so Hearth answers with an ordinary page.
const passkeysWork = typeof window.PublicKeyCredential === 'function' &&
  navigator.credentials && typeof navigator.credentials.create === 'function'

function fromBase64url (text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/')
  const binary = window.atob(base64 + '='.repeat((4 - base64.length % 4) % 4))
  return Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer
}

function toBase64url (buffer) {
  let binary = ''
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte)
  return window.btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function credentialJson (credential) {
  const r = credential.response
  const response = { clientDataJSON: toBase64url(r.clientDataJSON) }
  if (r.attestationObject) {
    response.attestationObject = toBase64url(r.attestationObject)
    if (typeof r.getTransports === 'function') response.transports = r.getTransports()
  } else {
    response.authenticatorData = toBase64url(r.authenticatorData)
    response.signature = toBase64url(r.signature)
    response.userHandle = r.userHandle ? toBase64url(r.userHandle) : null
  }
  return JSON.stringify({
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    response,
    extensions: credential.getClientExtensionResults()
  })
}

async function passkeyOptions (form) {
  const response = await window.fetch(form.dataset.hearthPasskeyOptions, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(new FormData(form))
  })
  const body = await response.json().catch(() => ({}))
  if (!response.ok) throw new Error(body.message || 'Hearth could not start. Reload the page and try again.')
  return body.publicKey
}

function passkeyForm (form) {
  const error = form.querySelector('[data-hearth-passkey-error]')
  const say = (text) => {
    error.textContent = text
    error.hidden = !text
  }
  form.hidden = false
  form.addEventListener('submit', async (event) => {
    if (form.querySelector('input[name="credential"]').value) return
    event.preventDefault()
    say('')
    const button = form.querySelector('button')
    button.disabled = true
    try {
      const options = await passkeyOptions(form)
      options.challenge = fromBase64url(options.challenge)
      let credential
      if (form.dataset.hearthPasskey === 'register') {
        options.user.id = fromBase64url(options.user.id)
        for (const c of options.excludeCredentials || []) c.id = fromBase64url(c.id)
        credential = await navigator.credentials.create({ publicKey: options })
      } else {
        for (const c of options.allowCredentials || []) c.id = fromBase64url(c.id)
        credential = await navigator.credentials.get({ publicKey: options })
      }
      form.querySelector('input[name="credential"]').value = credentialJson(credential)
      // The password has done its work in asking for the challenge: it is not sent again.
      const password = form.querySelector('input[name="password"]')
      if (password) password.value = ''
      form.submit()
    } catch (e) {
      button.disabled = false
      say(e && e.name === 'NotAllowedError'
        ? 'The passkey was not used: it was cancelled, or took too long. Try again.'
        : (e && e.message) || 'The passkey did not work. Try again.')
    }
  })
}

if (passkeysWork) document.querySelectorAll('form[data-hearth-passkey]').forEach(passkeyForm)

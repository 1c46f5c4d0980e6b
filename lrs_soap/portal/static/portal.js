// Progressive enhancement only: every page works without JavaScript.
import { initAll } from './govuk/govuk-frontend.min.js'

initAll()

// Jobs in progress: refresh the progress table in place instead of reloading the page.
const live = document.querySelector('[data-refresh-url]')
if (live) {
  const refresh = async () => {
    const response = await fetch(live.dataset.refreshUrl, { credentials: 'same-origin' })
    if (!response.ok) return
    const html = await response.text()
    const next = new DOMParser().parseFromString(html, 'text/html')
      .querySelector('[data-refresh-url]')
    if (!next) return
    live.innerHTML = next.innerHTML
    if (next.dataset.refreshUrl && next.dataset.live === 'true') setTimeout(refresh, 2000)
  }
  if (live.dataset.live === 'true') setTimeout(refresh, 2000)
}

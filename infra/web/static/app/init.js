// Starts GOV.UK Frontend's components (an ES module served by this service).
import { initAll } from '/assets/govuk/govuk-frontend.min.js'
initAll()

// Progressive enhancement: the council <select> becomes GOV.UK's accessible autocomplete.
// Without JavaScript the select works as it is.
//
// A council is offered for what people type for it, as the service accepts it: part of its
// register name ("eed" offers Leeds), the start of any word of its name or of an alias
// ("Bristol", "City of Bristol"), its name without the words that say what kind of council
// it is ("Durham" for "Durham County Council", and "Leeds City Council" for Leeds), and its
// ONS code ("E08000035"), case ignored. The list shows the register's names. Each option
// carries the council's code (its value), its aliases (data-aliases) and the canonical keys
// the service compares councils by (data-keys), "|" between them: the page's
// Content-Security-Policy runs no inline script, so the data travels in the markup.
(function () {
  var select = document.querySelector('select#council')
  if (!select || !window.accessibleAutocomplete) return
  // The words that say what kind of council it is (domain/councils.py's, as the service
  // leaves them out when it compares councils), longest first.
  var KINDS = ['metropolitan borough council', 'metropolitan district council',
    'borough council', 'district council', 'county council', 'city council', 'council',
    'corporation']
  var PREFIXES = ['the ', 'london borough of ', 'royal borough of ', 'borough of ',
    'council of the ', 'city of ', 'county of ', 'county ']

  function words (text) {
    return text.toLowerCase().replace(/&/g, ' and ').replace(/[^a-z0-9]+/g, ' ').trim()
  }

  function split (text) {
    return text ? text.split('|') : []
  }

  // The query as typed, and without the words of a kind before it ("city of kingston" ->
  // "kingston") or after it ("durham county council" -> "durham").
  function queryForms (query) {
    var forms = [query]
    var short = query
    var changed = true
    while (changed) {
      changed = false
      for (var p = 0; p < PREFIXES.length; p++) {
        if (short.length > PREFIXES[p].length && short.indexOf(PREFIXES[p]) === 0) {
          short = short.slice(PREFIXES[p].length)
          changed = true
        }
      }
      for (var k = 0; k < KINDS.length; k++) {
        var suffix = ' ' + KINDS[k]
        if (short.length > suffix.length && short.slice(-suffix.length) === suffix) {
          short = short.slice(0, -suffix.length)
          changed = true
        }
      }
    }
    if (short !== query) forms.push(short)
    return forms
  }

  // Each council's terms: its name, code and aliases in words, and the canonical keys the
  // service knows it by (data-keys: "Kingston upon Hull, City of" -> "kingston upon hull").
  var councils = []
  for (var i = 0; i < select.options.length; i++) {
    var option = select.options[i]
    if (!option.value) continue
    var name = (option.textContent || option.innerText).trim()
    var written = [name, option.value].concat(
      split(option.getAttribute('data-aliases')), split(option.getAttribute('data-keys')))
    var terms = []
    for (var j = 0; j < written.length; j++) {
      var term = words(written[j])
      if (term && terms.indexOf(term) === -1) terms.push(term)
    }
    councils.push({ name: name, value: option.value, lower: name.toLowerCase(), terms: terms })
  }

  // Whether query (in words) starts a word of term, or is term followed by the start of
  // the words of a kind ("leeds city co" for "leeds").
  function startsAWord (term, query) {
    if ((' ' + term).indexOf(' ' + query) !== -1) return true
    if (query.slice(0, term.length + 1) !== term + ' ') return false
    var rest = query.slice(term.length + 1)
    for (var k = 0; k < KINDS.length; k++) {
      if (KINDS[k].slice(0, rest.length) === rest) return true
    }
    return false
  }

  // 0: the name starts with it; 1: a word of a name, alias or code starts with it;
  // 2: the name holds it; -1: no match.
  function rank (council, typed, forms) {
    if (council.lower.indexOf(typed) === 0) return 0
    for (var t = 0; t < council.terms.length; t++) {
      for (var f = 0; f < forms.length; f++) {
        if (startsAWord(council.terms[t], forms[f])) return 1
      }
    }
    return council.lower.indexOf(typed) !== -1 ? 2 : -1
  }

  function source (typed, populateResults) {
    var lowered = typed.trim().toLowerCase()
    var query = words(typed)
    if (!lowered || !query) return populateResults([])
    var forms = queryForms(query)
    var found = [[], [], []]
    for (var c = 0; c < councils.length; c++) {
      var place = rank(councils[c], lowered, forms)
      if (place !== -1) found[place].push(councils[c].name)
    }
    populateResults(found[0].concat(found[1], found[2]))
  }

  // The library writes a suggestion into the list as HTML: a council's name is text, so it
  // is escaped (a name holding "<img ...>" shows those characters, it never becomes markup).
  function escapeHtml (text) {
    return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#39;')
  }

  window.accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    source: source,
    templates: {
      inputValue: function (name) { return name || '' },
      suggestion: function (name) { return escapeHtml(name || '') }
    },
    showAllValues: false,
    minLength: 2,
    dropdownArrow: function () { return '' }
  })
  // The library leaves the hidden select on the last council chosen even when the person
  // clears the box or types over it (alphagov/accessible-autocomplete #327, #599): on
  // submit, the select takes the council whose name, alias or code is in the box, or none,
  // so the form sends what the person sees and the server's "Choose the council" error
  // follows.
  var input = document.getElementById('council')
  if (!input || !select.form) return
  select.form.addEventListener('submit', function () {
    var typed = words(input.value)
    var forms = typed ? queryForms(typed) : []
    var match = ''
    for (var c = 0; c < councils.length && typed; c++) {
      var council = councils[c]
      if (council.terms.indexOf(typed) !== -1 || council.terms.indexOf(forms[forms.length - 1]) !== -1) {
        match = council.value
        break
      }
    }
    select.value = match
  })
})()

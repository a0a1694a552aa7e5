// Progressive enhancement: the council <select> becomes GOV.UK's accessible autocomplete.
// Without JavaScript the select works as it is.
(function () {
  var select = document.querySelector('select#council')
  if (!select || !window.accessibleAutocomplete) return
  window.accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    showAllValues: false,
    minLength: 2,
    dropdownArrow: function () { return '' }
  })
  // The library leaves the hidden select on the last council chosen even when the person
  // clears the box or types over it (alphagov/accessible-autocomplete #327, #599): on
  // submit, the select takes the council whose name is in the box, or none, so the form
  // sends what the person sees and the server's "Choose the council" error follows.
  var input = document.getElementById('council')
  if (!input || !select.form) return
  select.form.addEventListener('submit', function () {
    var typed = input.value.trim().toLowerCase()
    var match = ''
    for (var i = 0; i < select.options.length; i++) {
      var option = select.options[i]
      if (option.value && option.text.trim().toLowerCase() === typed) { match = option.value; break }
    }
    select.value = match
  })
})()

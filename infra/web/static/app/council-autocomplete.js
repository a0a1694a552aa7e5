// Progressive enhancement: the council <select> becomes GOV.UK's accessible autocomplete.
// Without JavaScript the select works as it is.
(function () {
  var select = document.querySelector('select#council')
  if (!select || !window.accessibleAutocomplete) return
  window.accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: '',
    showAllValues: false,
    minLength: 2,
    dropdownArrow: function () { return '' }
  })
})()

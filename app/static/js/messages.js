// Forward form: offer only the subcategories of the chosen category.
// The server checks the same rule; this only spares a round trip.
(function () {
  var category = document.getElementById("category");
  var subcategory = document.getElementById("subcategory");
  if (!category || !subcategory) { return; }
  function sync() {
    var chosen = category.options[category.selectedIndex];
    var label = chosen ? chosen.text : "";
    var groups = subcategory.getElementsByTagName("optgroup");
    var current = subcategory.options[subcategory.selectedIndex];
    for (var i = 0; i < groups.length; i++) {
      var match = groups[i].label === label;
      groups[i].disabled = !match;
      groups[i].style.display = match ? "" : "none";
    }
    if (current && current.parentNode.disabled) { subcategory.value = ""; }
  }
  category.addEventListener("change", sync);
  sync();
})();

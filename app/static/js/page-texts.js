/* FAB's alerts, select2 and the datepicker in the page's language. The texts come
   from the JSON block #page-texts (templates/appbuilder/_script_texts.html). */
(function ($) {
  "use strict";
  var block = document.getElementById("page-texts");
  if (!block || !$) { return; }
  var texts = JSON.parse(block.textContent);

  if (window.ab_alert) {
    var show = window.ab_alert;
    window.ab_alert = function (text) { show(texts.alerts[text] || text); };
  }
  if ($.fn.select2) {
    var words = texts.select2;
    var language = {};
    Object.keys(words).forEach(function (key) {
      language[key] = function () { return words[key]; };
    });
    $.fn.select2.defaults.set("language", language);
  }
  if ($.fn.datepicker) {
    $.fn.datepicker.dates[texts.language] = texts.datepicker;
    $.fn.datepicker.defaults.language = texts.language;
  }
})(window.jQuery);

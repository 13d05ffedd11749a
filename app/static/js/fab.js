/* Staff pages: undo what keeps FAB's forms from being accessible. select2's multiple
   choice box has an unnamed search field inside a malformed list, so multiple
   choices (a user's roles) stay native <select multiple> elements, which every
   screen reader and keyboard handles. Runs after FAB's ab.js has set select2 up. */
(function ($) {
  "use strict";
  $(function () {
    if (!$.fn.select2) { return; }
    $("select[multiple]").each(function () {
      var select = $(this);
      if (select.data("select2")) {
        select.select2("destroy");
        select.addClass("form-control");
      }
    });
  });
})(jQuery);

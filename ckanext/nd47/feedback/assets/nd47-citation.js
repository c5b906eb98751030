/* Copy buttons: data-module="nd47-copy" data-module-target="#id of the text". */
this.ckan.module("nd47-copy", function ($) {
  "use strict";
  return {
    options: { target: null, done: "" },
    initialize: function () {
      var self = this;
      this.el.on("click", function () {
        var text = $(self.options.target).text();
        var done = function () {
          self.el.attr("data-copied", "true");
          if (self.options.done) { self.el.find(".nd47-copy-label").text(self.options.done); }
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done);
        } else {
          /* http:// pages have no clipboard API: select and copy. */
          var area = $("<textarea>").val(text).css({ position: "fixed", opacity: 0 }).appendTo("body");
          area[0].select();
          document.execCommand("copy");
          area.remove();
          done();
        }
      });
    }
  };
});

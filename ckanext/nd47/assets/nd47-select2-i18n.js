/* The words select2 reads to screen readers ("Remove item", "Search", ...)
 * in the page's language: CKAN's autocomplete module translates only some of
 * them, select2's English defaults give the rest. Set as select2 defaults,
 * which every autocomplete field merges with its own. */
(function () {
  'use strict';
  if (!window.jQuery || !jQuery.fn.select2 || !jQuery.fn.select2.defaults || !window.ckan || !ckan.i18n) {
    return;
  }
  var _ = ckan.i18n._;
  jQuery.fn.select2.defaults.set('language', {
    removeItem: function () { return _('Remove item'); },
    removeAllItems: function () { return _('Remove all items'); },
    search: function () { return _('Search'); },
    searching: function () { return _('Searching…'); },
    errorLoading: function () { return _('The results could not be loaded.'); },
    loadingMore: function () { return _('Loading more results…'); }
  });
})();

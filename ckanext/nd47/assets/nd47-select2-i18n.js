/* select2 for screen readers.
 *
 * 1. The words it reads ("Remove item", "Search", ...) in the page's
 *    language: CKAN's autocomplete module translates only some of them,
 *    select2's English defaults give the rest. Set as select2 defaults, which
 *    every autocomplete field merges with its own.
 * 2. A multiple select2's combobox carries no name: it gets the field's
 *    label (aria-labelledby) as soon as CKAN's modules build the widget. */
(function () {
  'use strict';
  if (!window.jQuery) { return; }
  // select2 4 (CKAN 2.12) only: CKAN 2.11's select2 3 has no defaults.set
  var defaults = jQuery.fn.select2 && jQuery.fn.select2.defaults;
  if (defaults && typeof defaults.set === 'function' && window.ckan && ckan.i18n) {
    translate(ckan.i18n._);
  }
  // CKAN builds the widgets after loading its translations, so watch for them
  if (window.MutationObserver) {
    new MutationObserver(nameComboboxes).observe(document.documentElement, { childList: true, subtree: true });
  }
  jQuery(nameComboboxes);

  function translate(_) {
    jQuery.fn.select2.defaults.set('language', {
      removeItem: function () { return _('Remove item'); },
      removeAllItems: function () { return _('Remove all items'); },
      search: function () { return _('Search'); },
      searching: function () { return _('Searching…'); },
      errorLoading: function () { return _('The results could not be loaded.'); },
      loadingMore: function () { return _('Loading more results…'); }
    });
  }

  function nameComboboxes() {
    jQuery('select.select2-hidden-accessible, input.select2-hidden-accessible').each(function () {
      var label = this.id && document.querySelector('label[for="' + this.id + '"]');
      var box = jQuery(this).next('.select2-container').find('.select2-selection')[0];
      if (!label || !box || box.hasAttribute('aria-labelledby')) { return; }
      if (!label.id) { label.id = this.id + '-label'; }
      box.setAttribute('aria-labelledby', label.id);
    });
  }
})();

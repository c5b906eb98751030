/* Vietnamese slugs: CKAN's slug-preview module turns every character it does
 * not know into "-", so "Dữ liệu" became "d-li-u". Fold the text first (NFD,
 * drop combining marks, đ→d, Đ→D) so the proposed URL is "du-lieu-dan-cu",
 * as the server does (ckanext/nd47/logic/slug.py). */
(function ($) {
  if (!$ || !$.url || !$.url.slugify || $.url.nd47Folded) { return; }
  var slugify = $.url.slugify;
  var fold = function (text) {
    return String(text || '')
      .replace(/đ/g, 'd').replace(/Đ/g, 'D')
      .normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  };
  $.url.slugify = function (string, trim) {
    return slugify.call(this, fold(string), trim);
  };
  $.url.nd47Fold = fold;
  $.url.nd47Folded = true;
})(window.jQuery);

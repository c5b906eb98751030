/* Connection features of the forms (docs/connection.md).
 *
 * 1. New dataset: while the publisher types the title and keywords, ask
 *    nd47_similar_datasets (GET, debounced) for datasets of other agencies
 *    that look like the same data, and list them with "use this instead" and
 *    "link as master source" (which fills the master_source field).
 * 2. Resource form: the data-service fields show only when the format is API.
 */
(function () {
  'use strict';
  var DELAY = 400;
  var API_FORMAT = 'API';

  function values(el) {
    if (!el) { return []; }
    if (el.multiple) {
      return Array.prototype.filter.call(el.options, function (o) { return o.selected; })
        .map(function (o) { return o.value; });
    }
    return el.value ? [el.value] : [];
  }

  function similarPanel(panel) {
    var form = panel.closest('form');
    var title = form.querySelector('#field-title');
    var tags = form.querySelector('#field-tag_string, #field-tags');
    var list = panel.querySelector('.nd47-similar-list');
    var template = panel.querySelector('template.nd47-similar-item');
    var linked = panel.querySelector('.nd47-similar-linked');
    var timer = null;
    var last = null;

    function render(results) {
      list.innerHTML = '';
      results.forEach(function (item) {
        var li = template.content.firstElementChild.cloneNode(true);
        var link = li.querySelector('.nd47-similar-title');
        link.href = item.url;
        link.textContent = item.title;
        li.querySelector('.nd47-similar-agency').textContent =
          item.organization && item.organization.title ? '— ' + item.organization.title : '';
        li.querySelector('.nd47-similar-use').href = item.url;
        li.querySelector('.nd47-similar-master').addEventListener('click', function () {
          var master = form.querySelector('#field-master_source');
          if (master) { master.value = item.url; }
          linked.hidden = false;
        });
        list.appendChild(li);
      });
      panel.hidden = results.length === 0;
    }

    function ask() {
      var params = new URLSearchParams();
      params.set('title', title.value || '');
      params.set('tag_string', tags ? tags.value || '' : '');
      values(form.querySelector('#field-theme')).forEach(function (v) { params.append('theme', v); });
      values(form.querySelector('#field-admin_units')).forEach(function (v) { params.append('admin_units', v); });
      var owner = form.querySelector('#field-organizations');
      if (owner && owner.value) { params.set('owner_org', owner.value); }
      var query = params.toString();
      if (query === last) { return; }
      last = query;
      if ((title.value || '').trim().length < 3) { render([]); return; }
      fetch(panel.dataset.url + '?' + query, { credentials: 'same-origin' })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (body && body.success && query === last) { render(body.result); }
        })
        .catch(function () { /* a failed suggestion never blocks the form */ });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    }

    [title, tags].forEach(function (el) {
      if (el) {
        el.addEventListener('input', later);
        el.addEventListener('change', later);
      }
    });
    if (window.jQuery && tags) { window.jQuery(tags).on('change', later); }
    if (title.value) { later(); }
  }

  function serviceFields(format) {
    var form = format.closest('form');
    var groups = Array.prototype.map.call(
      form.querySelectorAll('[id^="field-service_"]'),
      function (el) { return el.closest('.form-group, .control-group') || el; }
    );
    function toggle() {
      var isService = String(format.value || '').toUpperCase() === API_FORMAT;
      groups.forEach(function (group) { group.hidden = !isService; });
    }
    format.addEventListener('change', toggle);
    if (window.jQuery) { window.jQuery(format).on('change', toggle); }
    toggle();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('.nd47-similar[data-url]'), similarPanel);
    var format = document.querySelector('form #field-format');
    if (format && document.querySelector('[id^="field-service_"]')) { serviceFields(format); }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();

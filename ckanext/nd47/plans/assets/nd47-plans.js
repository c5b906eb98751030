/* Plan pages (docs/plans.md).
 *
 * 1. Item page: the linked dataset is picked by its title. While the user
 *    types, nd47_plan_item_dataset_autocomplete (GET, debounced) lists the
 *    agency's datasets the user may read; the one chosen goes into the
 *    hidden package_id. Without scripts the typed title is resolved by the
 *    page itself.
 * 2. Item form: when the title typed matches datasets of other agencies
 *    (nd47_similar_datasets), they are listed with links: the item may
 *    duplicate existing data.
 */
(function () {
  'use strict';
  var DELAY = 300;

  function debounce(fn) {
    var timer = null;
    return function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fn, DELAY);
    };
  }

  function getJSON(url, params) {
    return fetch(url + '?' + params.toString(), { credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { return body && body.success ? body.result : null; })
      .catch(function () { return null; });
  }

  function picker(box) {
    var input = box.querySelector('input[name="dataset"]');
    var hidden = box.querySelector('input[name="package_id"]');
    var list = box.querySelector('.nd47-dataset-options');
    var last = null;

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
    }

    function choose(item) {
      input.value = item.title || item.name;
      hidden.value = item.name;
      close();
    }

    function render(results) {
      list.innerHTML = '';
      results.forEach(function (item, index) {
        var li = document.createElement('li');
        li.className = 'list-group-item list-group-item-action nd47-dataset-option';
        li.id = 'nd47-dataset-option-' + index;
        li.setAttribute('role', 'option');
        li.tabIndex = -1;
        li.textContent = item.title || item.name;
        li.dataset.name = item.name;
        li.addEventListener('mousedown', function (event) {
          event.preventDefault();
          choose(item);
        });
        li.addEventListener('keydown', function (event) {
          if (event.key === 'Enter') { event.preventDefault(); choose(item); input.focus(); }
        });
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      input.setAttribute('aria-expanded', results.length ? 'true' : 'false');
    }

    var ask = debounce(function () {
      var q = input.value.trim();
      if (q === last) { return; }
      last = q;
      if (q.length < 2) { render([]); return; }
      var params = new URLSearchParams({ plan_id: box.dataset.planId, q: q });
      getJSON(box.dataset.url, params).then(function (result) {
        if (result && q === last) { render(result); }
      });
    });

    input.addEventListener('input', function () {
      hidden.value = '';  // a new title: the page resolves it unless one is chosen
      ask();
    });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'ArrowDown' && !list.hidden && list.firstElementChild) {
        event.preventDefault();
        list.firstElementChild.focus();
      } else if (event.key === 'Escape') {
        close();
      }
    });
    list.addEventListener('keydown', function (event) {
      var current = document.activeElement;
      if (event.key === 'ArrowDown' && current.nextElementSibling) {
        event.preventDefault();
        current.nextElementSibling.focus();
      } else if (event.key === 'ArrowUp') {
        event.preventDefault();
        (current.previousElementSibling || input).focus();
      } else if (event.key === 'Escape') {
        close();
        input.focus();
      }
    });
    input.addEventListener('blur', function () { window.setTimeout(function () {
      if (!box.contains(document.activeElement)) { close(); }
    }, 150); });
  }

  function duplicates(panel) {
    var title = document.getElementById('field-title');
    var list = panel.querySelector('.nd47-item-similar-list');
    var last = null;
    if (!title) { return; }

    var ask = debounce(function () {
      var q = title.value.trim();
      if (q === last) { return; }
      last = q;
      if (q.length < 3) { panel.hidden = true; return; }
      var params = new URLSearchParams({ title: q, owner_org: panel.dataset.ownerOrg });
      getJSON(panel.dataset.url, params).then(function (result) {
        if (!result || q !== last) { return; }
        list.innerHTML = '';
        result.forEach(function (item) {
          var li = document.createElement('li');
          var link = document.createElement('a');
          link.href = item.url;
          link.target = '_blank';
          link.rel = 'noopener';
          link.textContent = item.title;
          li.appendChild(link);
          if (item.organization && item.organization.title) {
            li.appendChild(document.createTextNode(' — ' + item.organization.title));
          }
          list.appendChild(li);
        });
        panel.hidden = result.length === 0;
      });
    });
    title.addEventListener('input', ask);
    if (title.value) { ask(); }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('.nd47-dataset-picker[data-url]'), picker);
    Array.prototype.forEach.call(document.querySelectorAll('.nd47-item-similar[data-url]'), duplicates);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();

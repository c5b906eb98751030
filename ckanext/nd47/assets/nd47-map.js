/* Maps of a dataset's spatial coverage, drawn with Leaflet when it is
 * installed (scripts/assets.sh); without it the pages keep their SVG outline
 * and the form its file upload.
 *
 * nd47-map             the dataset page: the coverage's shapes, read only.
 * nd47-geometry-input  the dataset form: a geometry drawn on the map
 *                      (Leaflet-Geoman) or read from a GeoJSON file into the
 *                      hidden input; the server checks it and computes the
 *                      bounding box and centroid.
 */
(function () {
  'use strict';
  // Viet Nam, when there is nothing to show yet
  var HOME = [16.0, 106.0];
  var HOME_ZOOM = 5;
  var STYLE = { color: '#1f3a5f', weight: 2, fillColor: '#2f6fb0', fillOpacity: 0.2 };

  function escapeText(text) {
    var span = document.createElement('span');
    span.textContent = text || '';
    return span.innerHTML;
  }

  // CKAN reads an empty data-module-* attribute as true: only text counts
  function text(value) {
    return typeof value === 'string' ? value : '';
  }

  function baseMap(el, options) {
    var tiles = text(options.tiles);
    // an attribution box only to credit the tiles (without Leaflet's own link)
    var map = L.map(el, { zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: !!tiles });
    if (tiles) {
      map.attributionControl.setPrefix(false);
      L.tileLayer(tiles, {
        maxZoom: 18,
        // plain text from the operator's option, never HTML
        attribution: escapeText(text(options.attribution))
      }).addTo(map);
    } else {
      el.classList.add('nd47-map-blank');
    }
    if (window.ResizeObserver) {
      // a map first laid out in a closed group has no size until it opens
      new ResizeObserver(function () { map.invalidateSize(); }).observe(el);
    }
    return map;
  }

  function shapes(geojson) {
    return L.geoJSON(geojson, {
      style: function () { return STYLE; },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, L.extend({ radius: 6 }, STYLE));
      }
    });
  }

  function fit(map, group) {
    var bounds = group.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [12, 12], maxZoom: 12, animate: false });
    } else {
      map.setView(HOME, HOME_ZOOM);
    }
  }

  ckan.module('nd47-map', function () {
    return {
      options: { geojson: [], tiles: '', attribution: '' },
      initialize: function () {
        var el = this.el[0];
        if (!window.L) { return; }
        var figure = el.closest('figure');
        el.hidden = false;
        var map = baseMap(el, this.options);
        var group = L.featureGroup();
        (this.options.geojson || []).forEach(function (geometry) {
          shapes(geometry).eachLayer(function (layer) { group.addLayer(layer); });
        });
        group.addTo(map);
        fit(map, group);
        // the SVG outline stays as the fallback only
        if (figure) { figure.classList.add('nd47-map-live'); }
      }
    };
  });

  ckan.module('nd47-geometry-input', function () {
    return {
      options: {
        tiles: '', attribution: '', readError: '', notGeojson: '', loaded: '', drawn: '',
        cleared: '', lang: {}
      },
      initialize: function () {
        var el = this.el[0];
        // the hidden template of the repeating group is initialised detached
        if (!document.body.contains(el)) { return; }
        var options = this.options;
        var input = el.querySelector('input[type=hidden]');
        var file = el.querySelector('input[type=file]');
        var clear = el.querySelector('.nd47-geometry-clear');
        var status = el.querySelector('.nd47-geometry-status');
        var group = el.closest('.scheming-subfield-group') || el.parentNode;
        var map = null;
        var layers = null;

        function say(message) { status.textContent = text(message); }

        function setValue(value) {
          input.value = value;
          clear.hidden = !value;
          // computed again on save from the new geometry
          group.querySelectorAll('[data-nd47-derived]').forEach(function (derived) {
            derived.value = '';
          });
        }

        function watch(layer) {
          layer.on('pm:edit pm:dragend', sync);
        }

        function sync() {
          var count = layers.getLayers().length;
          setValue(count ? JSON.stringify(layers.toGeoJSON()) : '');
        }

        function show(value) {
          if (!map) { return true; }
          layers.clearLayers();
          var parsed;
          try {
            parsed = JSON.parse(value);
            shapes(parsed).eachLayer(function (layer) { layers.addLayer(layer); watch(layer); });
          } catch (e) {
            return false;
          }
          fit(map, layers);
          return true;
        }

        if (window.L && L.PM) {
          var mapEl = el.querySelector('.nd47-map-edit');
          mapEl.hidden = false;
          map = baseMap(mapEl, options);
          layers = L.featureGroup().addTo(map);
          if (options.lang && options.lang.buttonTitles) {
            map.pm.setLang('nd47', options.lang, 'en');
          }
          map.pm.addControls({
            position: 'topleft',
            drawMarker: false,
            drawCircle: false,
            drawText: false,
            drawCircleMarker: true,
            drawPolyline: true,
            drawRectangle: true,
            drawPolygon: true,
            cutPolygon: false,
            rotateMode: false
          });
          map.on('pm:create', function (e) {
            layers.addLayer(e.layer);
            watch(e.layer);
            sync();
            say(options.drawn);
          });
          map.on('pm:remove', function (e) {
            layers.removeLayer(e.layer);
            sync();
          });
          if (!input.value || !show(input.value)) { map.setView(HOME, HOME_ZOOM); }
        }

        file.addEventListener('change', function () {
          var chosen = file.files && file.files[0];
          if (!chosen) { return; }
          var reader = new FileReader();
          reader.onload = function () {
            var text = String(reader.result);
            // kept even when it does not parse: the server says what is wrong,
            // in the user's language, when the form is saved
            setValue(text);
            var ok = true;
            try { JSON.parse(text); } catch (e) { ok = false; }
            if (ok) { ok = show(text); }
            say(ok ? options.loaded : options.notGeojson);
          };
          reader.onerror = function () { say(options.readError); };
          reader.readAsText(chosen);
        });

        clear.addEventListener('click', function () {
          if (layers) { layers.clearLayers(); }
          file.value = '';
          setValue('');
          say(options.cleared);
        });
      }
    };
  });
}());

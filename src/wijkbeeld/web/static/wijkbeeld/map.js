/* The map page: draws /kaart/<GM>/data.json with Leaflet (no basemap tiles, works offline).
   The table under the map is the accessible equivalent (a link before the map skips to it);
   each area on the map is also a focusable link (Tab, Enter) to its profile. */
(function () {
  "use strict";
  var box = document.getElementById("kaart");
  if (!box || !window.L) { return; }
  var info = document.getElementById("kaart-info");
  var toggle = document.getElementById("hotspot-laag");
  // The choice form is submitted with its "Toon" button only: reloading on every change would
  // move a keyboard user away at each arrow key in a list (WCAG 3.2.2, on input).
  var map = L.map(box, { zoomSnap: 0.25, attributionControl: false });
  function fmt(v) {
    if (v === null || v === undefined) { return box.dataset.nodata || "geen gegevens"; }
    return v.toLocaleString(document.documentElement.lang || "nl", { maximumFractionDigits: 2 });
  }
  fetch(box.dataset.url, { credentials: "same-origin" }).then(function (r) {
    if (!r.ok) { throw new Error(r.status); }
    return r.json();
  }).then(function (data) {
    var meta = data.wijkbeeld;
    var colours = meta.legend.map(function (row) { return row.colour; });
    var clusterColour = {}, clusterLabel = {};
    meta.clusters.forEach(function (c) {
      clusterColour[c.code] = c.colour; clusterLabel[c.code] = c.label;
    });
    function style(feature) {
      var p = feature.properties;
      var hot = toggle && toggle.checked;
      var fill = hot ? clusterColour[p.cluster_code] : (p.klasse === null ? "#ffffff" : colours[p.klasse]);
      return { color: "#555555", weight: 0.6, fillOpacity: 0.85, fillColor: fill || "#ffffff" };
    }
    function url(id) { return meta.profile_url.replace("XXXXXXXXXX", id); }
    function text(p, id) {
      return (p.name || id) + " (" + id + "): " + fmt(p.value) + " · " + clusterLabel[p.cluster_code];
    }
    var layer = L.geoJSON(data, {
      style: style,
      onEachFeature: function (feature, lyr) {
        var p = feature.properties;
        lyr.bindTooltip(text(p, feature.id), { sticky: true });
        lyr.on("click", function () { window.location.href = url(feature.id); });
        lyr.on("mouseover focus", function () { info.textContent = text(p, feature.id); });
        lyr.on("add", function () {
          var el = lyr.getElement && lyr.getElement();
          if (!el) { return; }
          el.setAttribute("tabindex", "0");
          el.setAttribute("role", "link");
          el.setAttribute("aria-label", text(p, feature.id));
          el.setAttribute("data-area", feature.id);
          el.addEventListener("keydown", function (ev) {
            if (ev.key === "Enter") { window.location.href = url(feature.id); }
          });
          el.addEventListener("focus", function () { info.textContent = text(p, feature.id); });
        });
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds());
    if (toggle) { toggle.addEventListener("change", function () { layer.setStyle(style); }); }
    box.dataset.ready = "1";
  }).catch(function (err) {
    info.textContent = box.dataset.error + " (" + err.message + ")";
  });
})();

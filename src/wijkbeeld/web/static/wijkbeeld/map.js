/* The map pages: draw /kaart/<GM>/data.json or /kaart/nederland/data.json with Leaflet (no
   basemap tiles, works offline). The table under the map is the accessible equivalent (a link
   before the map skips to it); on a municipality's map each area is also a focusable link (Tab,
   Enter) to its profile. */
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
      var cluster = clusterLabel[p.cluster_code];  // the national map has no hotspots
      return (p.name || id) + " (" + id + "): " + (p.value_text || fmt(p.value)) + (cluster ? " · " + cluster : "");
    }
    function described(lyr) { return text(lyr.feature.properties, lyr.feature.id); }
    // data-area-links="0" (the national map): no Tab stop per area; 15,000 of them would trap
    // a keyboard user, whose way in is the table per municipality under the map.
    var links = box.dataset.areaLinks !== "0";
    var layer = L.geoJSON(data, {
      style: style,
      onEachFeature: links && function (feature, lyr) {
        lyr.on("add", function () {
          var el = lyr.getElement && lyr.getElement();
          if (!el) { return; }
          el.setAttribute("tabindex", "0");
          el.setAttribute("role", "link");
          el.setAttribute("aria-label", text(feature.properties, feature.id));
          el.setAttribute("data-area", feature.id);
        });
      }
    });
    // One tooltip and one set of handlers for the whole layer, not one per area: a national
    // layer has 15,000 areas (benchmarks/national.py, step 4b).
    // Leaflet puts a string into the tooltip as HTML; an area name is text (issue 18, finding 5),
    // so the tooltip gets a node whose textContent is set.
    layer.bindTooltip(function (lyr) {
      var node = document.createElement("span");
      node.textContent = described(lyr);
      return node;
    }, { sticky: true });
    layer.on("click", function (e) { window.location.href = url(e.layer.feature.id); });
    layer.on("mouseover", function (e) { info.textContent = described(e.layer); });
    function area(ev) { return ev.target.getAttribute && ev.target.getAttribute("data-area"); }
    box.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && area(ev)) { window.location.href = url(area(ev)); }
    });
    box.addEventListener("focusin", function (ev) {
      var id = area(ev);
      if (id) { info.textContent = ev.target.getAttribute("aria-label"); }
    });
    layer.addTo(map);
    map.fitBounds(layer.getBounds());
    // "Op de kaart" from an area page (?gebied=CODE): centre on that area and outline it.
    var focus = box.dataset.focus, chosen = null;
    if (focus) {
      layer.eachLayer(function (lyr) { if (lyr.feature.id === focus) { chosen = lyr; } });
    }
    if (chosen) {
      map.fitBounds(chosen.getBounds(), { maxZoom: map.getZoom() + 2, padding: [40, 40] });
      chosen.setStyle({ weight: 4, color: "#000000" });
      chosen.bringToFront();
      info.textContent = described(chosen);
    }
    if (toggle) {
      toggle.addEventListener("change", function () {
        layer.setStyle(style);
        if (chosen) { chosen.setStyle({ weight: 4, color: "#000000" }); }
      });
    }
    box.dataset.ready = "1";
  }).catch(function (err) {
    info.textContent = box.dataset.error + " (" + err.message + ")";
  });
})();

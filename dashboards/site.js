/* Draws every chart on the page from its JSON spec, fully offline.
   1. plotly.js geo charts fetch a world topojson from a CDN before drawing, even when only our own
      boundaries are shown; an empty topology is pre-filled so no request leaves the page (and the
      site works when opened straight from disk).
   2. Map traces say geojson "shared": their boundaries come from assets/boundaries.js, loaded once
      and cached, so no page carries its own copy. */
(function () {
  var empty = {type: "Topology", objects: {}, arcs: []};
  var assets = window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};
  assets.topojson = assets.topojson || {};
  ["world_110m", "world_50m", "europe_110m", "europe_50m"].forEach(function (name) {
    if (!assets.topojson[name]) { assets.topojson[name] = empty; }
  });

  function shapes(codes) {
    var all = window.SiteBoundaries || {};
    return {type: "FeatureCollection", features: codes.filter(function (c) { return all[c]; })
      .map(function (c) { return {type: "Feature", id: c, properties: {}, geometry: all[c]}; })};
  }

  function draw() {
    if (!window.Plotly) { return; }
    var specs = document.querySelectorAll("script.chart-spec");
    Array.prototype.forEach.call(specs, function (node) {
      var spec = JSON.parse(node.textContent);
      spec.data.forEach(function (trace) {
        if (trace.geojson === "shared") { trace.geojson = shapes(trace.locations); }
      });
      var target = document.getElementById(node.getAttribute("data-target"));
      if (target) { Plotly.newPlot(target, spec.data, spec.layout, spec.config); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); }
  else { draw(); }
})();

/* Offline area search: assets/search.js sets window.SiteAreas to [code, name, kind, other words];
   typing in the box lists up to 12 matching area pages (name, code or a short name such as D2N2). */
(function () {
  function norm(s) { return (s || "").toLowerCase().replace(/[^a-z0-9+]+/g, " ").trim(); }

  function setup() {
    var form = document.querySelector(".area-search");
    var areas = window.SiteAreas;
    if (!form || !areas) { return; }
    var input = form.querySelector("input[type=search]");
    var list = form.querySelector(".search-results");
    var prefix = form.getAttribute("data-prefix") || "";
    var index = areas.map(function (a) { return [norm(a[0] + " " + a[1] + " " + (a[3] || "")), a]; });
    input.addEventListener("input", function () {
      var words = norm(input.value).split(" ").filter(Boolean);
      list.innerHTML = "";
      if (!words.length) { return; }
      var found = index.filter(function (row) {
        return words.every(function (w) { return row[0].indexOf(w) !== -1; });
      }).slice(0, 12);
      if (!found.length) {
        var none = document.createElement("li");
        none.textContent = "No area matches \u201c" + input.value + "\u201d.";
        list.appendChild(none);
        return;
      }
      found.forEach(function (row) {
        var a = row[1], item = document.createElement("li"), link = document.createElement("a");
        link.href = prefix + "areas/" + a[0] + ".html";
        link.textContent = a[1];
        item.appendChild(link);
        item.appendChild(document.createTextNode(" (" + a[2] + ", " + a[0] + ")"));
        list.appendChild(item);
      });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setup); }
  else { setup(); }
})();

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

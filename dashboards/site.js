/* Offline base map for plotly.js geo charts.
   Choropleths drawn from our own GeoJSON still make plotly.js fetch a world topojson from its CDN
   before drawing. Our maps hide the base map, so an empty topology is enough and no request leaves
   the page (it also lets the site work when opened straight from disk). */
(function () {
  var empty = {type: "Topology", objects: {}, arcs: []};
  var assets = window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};
  assets.topojson = assets.topojson || {};
  ["world_110m", "world_50m", "europe_110m", "europe_50m"].forEach(function (name) {
    if (!assets.topojson[name]) { assets.topojson[name] = empty; }
  });
})();

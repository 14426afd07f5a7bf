// Renders the population dashboards' Vega-Lite charts (templates/population/_chart.jinja).
// Each chart is a <div data-vega-spec="spec-KEY"> with its spec in
// <script type="application/json" id="spec-KEY">; the text alternative and the table view are
// plain HTML beside it, so the page still makes sense without JavaScript.
(function () {
  "use strict";

  // Draws every chart not drawn yet: a swapped-in chart is a new element, so it is drawn afresh.
  function renderCharts() {
    if (typeof window.vegaEmbed !== "function") {
      return;
    }
    document.querySelectorAll("[data-vega-spec]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-vega-spec"));
      if (!source || element.getAttribute("data-vega-rendered") === source.id) {
        return;
      }
      var spec;
      try {
        spec = JSON.parse(source.textContent);
      } catch (error) {
        console.error("Chart spec " + source.id + " is not valid JSON", error);
        return;
      }
      element.setAttribute("data-vega-rendered", source.id);
      window.vegaEmbed(element, spec, { actions: false, renderer: "svg" }).catch(function (error) {
        element.removeAttribute("data-vega-rendered");
        console.error("Chart " + source.id + " could not be drawn", error);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderCharts);
  } else {
    renderCharts();
  }
  document.addEventListener("htmx:afterSwap", renderCharts);
})();

// Accord charts: every element with a data-chart attribute holds an echarts
// option as JSON (escaped by the server's templates). This static script
// draws them, so pages need no inline script and the Content-Security-Policy
// can forbid inline scripts altogether. Without JavaScript, the table next to
// each chart still gives the numbers.
(function () {
  "use strict";

  function formatter(unit) {
    return function (v) {
      if (v === null || v === undefined || v === "-" || isNaN(Number(v))) {
        return "–";
      }
      return Number(v).toFixed(1) + unit;
    };
  }

  function draw(el) {
    var option;
    try {
      option = JSON.parse(el.dataset.chart);
    } catch (e) {
      el.setAttribute("data-chart-error", "invalid option");
      return null;
    }
    // A unit such as "%" is appended to tooltip values; functions cannot
    // travel in JSON, so they are added here.
    if (el.dataset.chartUnit && option.tooltip) {
      option.tooltip.valueFormatter = formatter(el.dataset.chartUnit);
    }
    // The Content-Security-Policy forbids inline styles, which HTML
    // tooltips are made of: draw tooltips on the canvas instead.
    if (option.tooltip) {
      option.tooltip.renderMode = "richText";
    }
    // A chart that needs more room than the stylesheet's default says so
    // in data-chart-height (pixels); setting it from script is allowed by
    // the Content-Security-Policy, an inline style attribute would not be.
    var height = parseInt(el.dataset.chartHeight, 10);
    if (height > 0) {
      el.style.height = height + "px";
    }
    // Printed (the PDF reports are laid out with print media), charts are
    // drawn as SVG: vectors stay sharp on paper and print faster than a
    // canvas rasterised at twice the screen's density.
    var printing = window.matchMedia && window.matchMedia("print").matches;
    var chart = echarts.init(el, null, { renderer: printing ? "svg" : "canvas" });
    chart.setOption(option);
    el.setAttribute("data-chart-ready", "");
    return chart;
  }

  function init() {
    if (typeof echarts === "undefined") {
      return;
    }
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var c = draw(el);
      if (c) {
        charts.push(c);
      }
    });
    var pending = false;
    window.addEventListener("resize", function () {
      if (pending) {
        return;
      }
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        charts.forEach(function (c) {
          c.resize();
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

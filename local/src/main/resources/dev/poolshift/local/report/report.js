// The rehearsal report's only script: a crosshair at the pointer's virtual time in every chart,
// and a readout of the hovered chart's series at that time. The charts themselves are static SVG.
(function () {
  "use strict";
  var charts = Array.prototype.slice.call(document.querySelectorAll("svg.tl"));
  var readout = document.getElementById("readout");

  function parse(text) {
    if (!text) { return []; }
    return text.split(";").map(function (p) {
      var i = p.indexOf(":");
      var v = p.slice(i + 1);
      return [Number(p.slice(0, i)), v === "-" ? NaN : Number(v)];
    });
  }

  function clock(t) {
    var s = Math.floor(t);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return "+" + Math.floor(s / 3600) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
  }

  // A step series holds its value until the next point; a measured one is read at the nearest
  // datapoint if that is no further away than the intervals around it (60 s or 10 s periods).
  function valueAt(points, step, t) {
    var best = -1;
    for (var i = 0; i < points.length; i++) {
      if (step) {
        if (points[i][0] <= t) { best = i; } else { break; }
      } else if (best < 0 || Math.abs(points[i][0] - t) < Math.abs(points[best][0] - t)) {
        best = i;
      }
    }
    if (best < 0 || isNaN(points[best][1])) { return null; }
    if (!step) {
      var before = best > 0 ? points[best][0] - points[best - 1][0] : 0;
      var after = best + 1 < points.length ? points[best + 1][0] - points[best][0] : 0;
      var around = Math.max(before, after) || 60;
      if (Math.abs(points[best][0] - t) > around) { return null; }
    }
    return points[best][1];
  }

  var series = charts.map(function (svg) {
    return Array.prototype.slice.call(svg.querySelectorAll("path.series:not(.held)")).map(function (el) {
      return { name: el.getAttribute("data-series"), step: el.getAttribute("data-step") === "true",
        colour: el.getAttribute("stroke"), points: parse(el.getAttribute("data-points")) };
    });
  });

  function hide() {
    charts.forEach(function (svg) { svg.querySelector(".crosshair").setAttribute("visibility", "hidden"); });
    readout.hidden = true;
  }

  function show(index, t, event) {
    charts.forEach(function (svg) {
      var left = Number(svg.getAttribute("data-left"));
      var plot = Number(svg.getAttribute("data-plot"));
      var end = Number(svg.getAttribute("data-end"));
      var x = left + t / end * plot;
      var line = svg.querySelector(".crosshair");
      line.setAttribute("x1", x);
      line.setAttribute("x2", x);
      line.setAttribute("visibility", "visible");
    });
    var html = "<div class=\"t\">" + clock(t) + "</div>";
    series[index].forEach(function (s) {
      var v = valueAt(s.points, s.step, t);
      var text = v === null ? "—" : (Math.round(v * 1000) / 1000).toString();
      html += "<div><span style=\"color:" + s.colour + "\">■</span> " + s.name.replace(/[&<>]/g, "") + ": " + text + "</div>";
    });
    readout.innerHTML = html;
    readout.hidden = false;
    readout.style.left = Math.min(event.clientX + 14, window.innerWidth - 440) + "px";
    readout.style.top = (event.clientY + 14) + "px";
  }

  charts.forEach(function (svg, index) {
    svg.addEventListener("mousemove", function (event) {
      var matrix = svg.getScreenCTM();
      if (!matrix) { return; }
      var point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      var p = point.matrixTransform(matrix.inverse());
      var left = Number(svg.getAttribute("data-left"));
      var plot = Number(svg.getAttribute("data-plot"));
      var t = (p.x - left) / plot * Number(svg.getAttribute("data-end"));
      if (t < 0 || t > Number(svg.getAttribute("data-end"))) { hide(); return; }
      show(index, t, event);
    });
    svg.addEventListener("mouseleave", hide);
  });

  document.body.setAttribute("data-ready", "true");
}());

// Accord downloads that take a few seconds (PDF reports): a link marked
// data-progress="ID" is fetched in the background while the status region
// ID says that the file is being made and for how long, then saved under
// the name the server gives. Screen readers hear the start and the end,
// not every second. Without JavaScript the link downloads as any link does.
(function () {
  "use strict";

  function fileName(res, fallback) {
    var m = /filename="?([^";]+)"?/.exec(res.headers.get("Content-Disposition") || "");
    return m ? m[1] : fallback;
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function start(link, status) {
    var began = Date.now();
    var text = status.querySelector("[data-progress-text]");
    var clock = status.querySelector("[data-progress-clock]");
    var bar = status.querySelector("progress");
    var seconds = function () { return Math.max(1, Math.round((Date.now() - began) / 1000)); };
    link.setAttribute("aria-disabled", "true");
    status.hidden = false;
    bar.hidden = false;
    clock.textContent = "";
    text.textContent = link.getAttribute("data-progress-label") || "Making your file…";
    var timer = setInterval(function () { clock.textContent = " " + seconds() + " s"; }, 1000);
    var done = function (message) {
      clearInterval(timer);
      bar.hidden = true;
      clock.textContent = "";
      text.textContent = message;
      link.removeAttribute("aria-disabled");
    };
    fetch(link.href, { credentials: "same-origin" }).then(function (res) {
      var disposition = res.headers.get("Content-Disposition") || "";
      if (!res.ok || disposition.indexOf("attachment") !== 0) {
        // Not a file (an error page, or the server sent us elsewhere): show it.
        window.location.href = res.url || link.href;
        return;
      }
      return res.blob().then(function (blob) {
        save(blob, fileName(res, "report"));
        done("Ready in " + seconds() + " s: the file is in your downloads.");
      });
    }).catch(function () {
      done("The download failed. Check your connection and try again.");
    });
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-progress]");
    if (!link || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return;
    }
    var status = document.getElementById(link.getAttribute("data-progress"));
    if (!status || !window.fetch || !window.URL || !URL.createObjectURL) {
      return;
    }
    e.preventDefault();
    if (link.getAttribute("aria-disabled") !== "true") {
      start(link, status);
    }
  });
})();

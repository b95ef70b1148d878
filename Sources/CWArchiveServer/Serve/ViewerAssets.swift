/// The viewer's script, served from the binary at `/assets/viewer.js` (the CSP allows
/// `script-src 'self'` and nothing inline). Pages work without it; with it, the search page
/// searches as you type: it fetches the same `/search` page and swaps in its results (parsed
/// with `DOMParser`, which runs no script; nothing is built from strings).
enum ViewerAssets {
    static let script = #"""
    "use strict";
    (function () {
      var form = document.getElementById("cw-search");
      var results = document.getElementById("cw-results");
      if (!form || !results || !window.fetch || !window.DOMParser) { return; }
      var input = form.querySelector("input[name=q]");
      if (!input) { return; }
      var timer = null, last = null, seq = 0;
      function run() {
        var params = new URLSearchParams(new FormData(form));
        var url = "/search?" + params.toString();
        if (url === last) { return; }
        last = url;
        var mine = ++seq;
        if (!input.value.trim()) { return; }
        fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (r) {
          return r.text();
        }).then(function (text) {
          if (mine !== seq) { return; }
          var doc = new DOMParser().parseFromString(text, "text/html");
          var fresh = doc.getElementById("cw-results");
          if (!fresh) { return; }
          results.replaceChildren.apply(results, Array.prototype.map.call(fresh.childNodes, function (n) {
            return document.importNode(n, true);
          }));
          if (window.history && history.replaceState) { history.replaceState(null, "", url); }
        }).catch(function () { /* the form still works without the script */ });
      }
      input.addEventListener("input", function () {
        if (timer) { clearTimeout(timer); }
        timer = setTimeout(run, 250);
      });
    })();
    """#
}

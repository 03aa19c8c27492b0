/* The web edition's search: finds the pages that contain every word of the query, in the index the
   build wrote next to the search page (index.js, window.SEARCH_INDEX). No server, no request: it works
   from any static server and from the folder on disk. Words are compared without letter case and
   accents: "sudkorea" finds "Südkorea". */
(function () {
  "use strict";
  var index = window.SEARCH_INDEX || [];
  var results = document.getElementById("search-results");
  var field = document.getElementById("search-query");
  var note = document.getElementById("search-no-script");
  if (!results || !field) { return; }
  if (note) { note.hidden = true; }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  var folded = index.map(function (page) {
    return { title: fold(page.title), text: fold(page.text) };
  });

  function excerpt(text, word) {
    var at = Math.max(0, fold(text).indexOf(word));
    var start = at > 80 ? text.indexOf(" ", at - 80) + 1 : 0;  // from the start of a word
    var end = text.lastIndexOf(" ", at + word.length + 120);
    end = end > at ? end : text.length;
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  function search(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    results.textContent = "";
    if (!words.length) { return; }
    var found = [];
    index.forEach(function (page, i) {
      var score = 0;
      for (var w = 0; w < words.length; w++) {
        var inTitle = folded[i].title.indexOf(words[w]) >= 0;
        if (!inTitle && folded[i].text.indexOf(words[w]) < 0) { return; }
        score += inTitle ? 10 : 1;
      }
      found.push({ page: page, score: score });
    });
    found.sort(function (a, b) { return b.score - a.score; });
    var count = document.createElement("p");
    count.className = "search-count";
    count.textContent = found.length === 0 ? results.dataset.none
      : found.length === 1 ? results.dataset.one
      : results.dataset.many.replace("{count}", String(found.length));
    results.appendChild(count);
    if (!found.length) { return; }
    var list = document.createElement("ol");
    list.className = "search-hits";
    found.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.page.url;
      link.textContent = hit.page.title;
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = hit.page.kind;
      var text = document.createElement("p");
      text.textContent = excerpt(hit.page.text, words[0]);
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(kind);
      item.appendChild(text);
      list.appendChild(item);
    });
    results.appendChild(list);
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  field.value = query;
  search(query);
  field.addEventListener("input", function () { search(field.value); });
})();

// Passerelle: progressive enhancement only. Every page works without this file.
// Search-as-you-type: fills the search box's <datalist> with completions of the last word.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-suggest]");
  Array.prototype.forEach.call(inputs, function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value;
        if (q === last || q.trim().length < 2) return;
        last = q;
        fetch("/api/v1/search/suggest?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (body) {
            if (input.value !== q) return;
            var head = q.replace(/\S*$/, "");
            list.textContent = "";
            body.suggestions.forEach(function (word) {
              var option = document.createElement("option");
              option.value = head + word;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a convenience */ });
      }, 150);
    });
  });
  // Forms that change a filter submit themselves when a box is ticked (the button stays for keyboards).
  Array.prototype.forEach.call(document.querySelectorAll("form[data-autosubmit]"), function (form) {
    form.addEventListener("change", function (event) {
      if (event.target && (event.target.type === "radio" || event.target.tagName === "SELECT")) form.submit();
    });
  });
})();

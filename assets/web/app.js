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
      if (event.target && (event.target.type === "radio" || event.target.type === "checkbox" || event.target.tagName === "SELECT")) form.submit();
    });
  });

  // On a phone the search filters fold behind their button, so the first result is on the first
  // screen; without scripts they stay open.
  if (window.matchMedia && window.matchMedia("(max-width: 50rem)").matches) {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-fold-on-phone]"), function (details) {
      details.open = false;
    });
  }

  // Steps that end something (decline, withdraw, cancel) link to a confirmation page with a reason;
  // with scripts on, that page's form opens in a dialog over the current page instead.
  Array.prototype.forEach.call(document.querySelectorAll("a[data-confirm]"), function (link) {
    if (typeof HTMLDialogElement !== "function") return;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var form = page.querySelector("form[data-confirm-form]");
          if (!form) throw new Error("no form");
          var dialog = document.createElement("dialog");
          dialog.className = "confirm";
          var heading = page.querySelector("h1");
          var lead = page.querySelector("p.lead");
          if (heading) {
            var title = document.createElement("h2");
            title.textContent = heading.textContent;
            dialog.appendChild(title);
            dialog.setAttribute("aria-label", heading.textContent);
          }
          if (lead) dialog.appendChild(document.importNode(lead, true));
          dialog.appendChild(document.importNode(form, true));
          dialog.querySelector("[data-dialog-close]").addEventListener("click", function (close) {
            close.preventDefault();
            dialog.close();
          });
          dialog.addEventListener("close", function () { dialog.remove(); link.focus(); });
          document.body.appendChild(dialog);
          dialog.showModal();
        })
        .catch(function () { window.location.href = link.href; });
    });
  });
})();

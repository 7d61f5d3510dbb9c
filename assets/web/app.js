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
  // The outcome report's indicator rows: the own measure's name and unit matter only when no
  // indicator of the list is picked; they fold away when one is (and stay when they hold words).
  Array.prototype.forEach.call(document.querySelectorAll(".own-indicator"), function (own) {
    var row = own.closest("fieldset");
    var pick = row && row.querySelector("select[name$='.code']");
    if (!pick) return;
    var show = function () {
      var typed = Array.prototype.some.call(own.querySelectorAll("input"), function (i) { return i.value !== ""; });
      own.hidden = pick.value !== "" && !typed && !own.querySelector(".error");
    };
    pick.addEventListener("change", show);
    show();
  });

  // Long forms keep a draft in this browser (a phone that loses the page loses nothing): choices
  // and words are saved as they change, put back when the page opens again, and forgotten once sent.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
    var key = "passerelle-draft:" + form.getAttribute("action") + (form.elements.org ? ":" + form.elements.org.value : "");
    var fields = function () {
      return Array.prototype.filter.call(form.elements, function (field) {
        return field.name && field.name !== "csrf" && field.type !== "hidden" && field.type !== "password";
      });
    };
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved && saved.at > Date.now() - 7 * 24 * 3600 * 1000) {
      fields().forEach(function (field) {
        if (!(field.name in saved.values)) return;
        var value = saved.values[field.name];
        if (field.type === "radio" || field.type === "checkbox") field.checked = value.indexOf(field.value) !== -1;
        else field.value = value[0] || "";
      });
    }
    form.addEventListener("change", function () {
      var values = {};
      fields().forEach(function (field) {
        if ((field.type === "radio" || field.type === "checkbox") && !field.checked) {
          values[field.name] = values[field.name] || [];
          return;
        }
        (values[field.name] = values[field.name] || []).push(field.value);
      });
      try { window.localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: values })); } catch (e) { /* a draft is a convenience */ }
    });
    form.addEventListener("submit", function () {
      try { window.localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
    });
  });
})();

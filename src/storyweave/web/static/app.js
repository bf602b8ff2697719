// storyweave's only script, served from the package (the Content-Security-Policy allows no other).
// It never turns text into markup: everything it shows is set with textContent.
"use strict";

(function () {
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Citations open the sentence they cite in place, under the line that cites it.
  function openInPlace(link) {
    const id = link.dataset.sentence;
    const target = id ? document.getElementById(id) : null;
    if (!target) return false;
    const host = link.closest("li, td, p, blockquote, div") || link.parentElement;
    const open = host.querySelector(":scope > .inplace[data-for='" + CSS.escape(id) + "']");
    if (open) { open.remove(); return true; }
    const box = el("blockquote", "inplace");
    box.dataset.for = id;
    const article = target.closest(".article");
    const head = article ? article.querySelector("summary strong") : null;
    box.appendChild(el("span", "inplace-source", head ? head.textContent : ""));
    box.appendChild(el("span", "inplace-text", target.textContent));
    const go = el("a", "inplace-go", "in the article →");
    go.href = "#" + id;
    go.addEventListener("click", function () { if (article) article.open = true; });
    box.appendChild(go);
    host.appendChild(box);
    return true;
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest ? event.target.closest("a.cite[data-sentence]") : null;
    if (link && openInPlace(link)) event.preventDefault();
  });

  // A link or a reload onto a sentence or an article opens the article it is in.
  function openTarget() {
    if (!location.hash) return;
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    const article = target ? target.closest("details.article") : null;
    if (article) { article.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openTarget);

  // Facts matrix: show one status only.
  function setupFilter() {
    const select = document.getElementById("fact-filter");
    if (!select) return;
    select.addEventListener("change", function () {
      document.querySelectorAll("tr.fact").forEach(function (row) {
        row.hidden = Boolean(select.value) && row.dataset.status !== select.value;
      });
    });
  }

  // A story page asks now and then whether its story has grown, and offers to reload.
  function watchStory() {
    const main = document.querySelector("main.story[data-story]");
    if (!main) return;
    const every = Math.max(0.5, parseFloat(main.dataset.poll || "5")) * 1000;
    const notice = document.getElementById("grew");
    document.getElementById("reload").addEventListener("click", function () { location.reload(); });
    async function check() {
      try {
        const answer = await fetch("/api/v1/stories/" + encodeURIComponent(main.dataset.story) + "/version",
                                   { cache: "no-store" });
        if (answer.ok) {
          const v = await answer.json();
          if (v.version !== main.dataset.version) {
            document.getElementById("grew-text").textContent =
              "This story has changed: it now has " + v.articles + " reports.";
            notice.hidden = false;
            return;  // stop asking once told
          }
        }
      } catch (e) { /* the server is away: ask again later */ }
      setTimeout(check, every);
    }
    setTimeout(check, every);
  }

  // Upload and URL forms: send with the token, show progress, then the story each article joined.
  function setupForms() {
    const token = document.getElementById("token");
    if (!token) return;
    token.value = sessionStorage.getItem("storyweave-token") || "";
    token.addEventListener("change", function () { sessionStorage.setItem("storyweave-token", token.value); });
    const result = document.getElementById("result");
    const status = document.getElementById("status");
    const progress = document.getElementById("progress");
    const joined = document.getElementById("joined");
    document.querySelectorAll("form.write").forEach(function (form) {
      form.addEventListener("submit", async function (event) {
        event.preventDefault();
        const headers = { "Authorization": "Bearer " + token.value.trim() };
        let body;
        if (form.dataset.kind === "upload") {
          body = new FormData(form);
        } else {
          const urls = form.elements.urls.value.split(/\s+/).filter(Boolean);
          const data = { urls: urls };
          if (form.elements.published.value) data.published = form.elements.published.value;
          body = JSON.stringify(data);
          headers["Content-Type"] = "application/json";
        }
        result.hidden = false;
        progress.hidden = false;
        joined.replaceChildren();
        status.className = "";
        status.textContent = "Storing, grouping and analysing…";
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
        try {
          const answer = await fetch(form.action, { method: "POST", headers: headers, body: body });
          const data = await answer.json().catch(function () { return { error: "HTTP " + answer.status }; });
          if (!answer.ok) {
            status.className = "error";
            status.textContent = "Refused (" + answer.status + "): " + (data.error || "unknown error");
            return;
          }
          status.textContent = data.stored.length + " article(s) stored" +
            (data.skipped.length ? ", " + data.skipped.length + " skipped" : "") + ".";
          data.stored.forEach(function (s) {
            const item = el("li");
            item.appendChild(document.createTextNode(s.path + (s.new ? " joined " : " was already in ")));
            const link = el("a", "joined-story", "story " + s.story);
            link.href = "/stories/" + encodeURIComponent(s.story);
            item.appendChild(link);
            joined.appendChild(item);
          });
          data.skipped.forEach(function (s) {
            joined.appendChild(el("li", "skipped", "skipped " + s.path + ": " + s.reason));
          });
        } catch (e) {
          status.className = "error";
          status.textContent = "The server could not be reached.";
        } finally {
          progress.hidden = true;
          form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupFilter();
    watchStory();
    setupForms();
    openTarget();
  });
})();

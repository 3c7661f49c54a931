/// The page `rsearch serve` serves, compiled into the binary: no network
/// access, no CDN. The script builds every node from the API's JSON with
/// `textContent` and `createElement`, never `innerHTML`, so a report holding
/// `<script>` shows it as text; the page has no inline script or style, which
/// the Content-Security-Policy (`Guard.policy`) forbids anyway.
enum PageAssets {
    static let html = """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>rsearch</title>
        <link rel="stylesheet" href="/app.css">
        <link rel="search" type="application/opensearchdescription+xml" title="rsearch" href="/opensearch.xml">
        <script src="/app.js" defer></script>
        </head>
        <body>
        <header>
        <form id="search" role="search" action="/" method="get">
        <input id="q" name="q" type="search" autocomplete="off" autofocus placeholder="搜索：意识形态 year:2022 kind:述职报告" aria-label="query">
        <button type="submit">搜索</button>
        </form>
        <p id="status" aria-live="polite"></p>
        </header>
        <main>
        <section id="results" aria-label="hits"></section>
        <nav id="pages" aria-label="pages"></nav>
        </main>
        <aside id="preview" hidden>
        <button id="close" type="button" aria-label="close">×</button>
        <h2 id="preview-title"></h2>
        <p id="preview-path"></p>
        <pre id="preview-text"></pre>
        </aside>
        <footer id="index"></footer>
        </body>
        </html>
        """

    static let style = """
        body { font-family: system-ui, "Noto Sans CJK SC", sans-serif; margin: 0; color: #222; line-height: 1.6; }
        header { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #ddd; padding: .6em 1em; }
        form { display: flex; gap: .5em; max-width: 60em; }
        #q { flex: 1; font-size: 1.1em; padding: .35em .5em; }
        button { font-size: 1em; }
        #status, footer { color: #666; font-size: .9em; margin: .3em 0 0; }
        main { max-width: 60em; padding: 0 1em; }
        .report { margin: 1.2em 0; }
        .report h2 { font-size: 1.1em; margin: 0; }
        .meta { color: #666; font-size: .85em; margin: 0 0 .3em; word-break: break-all; }
        .hit { margin: .4em 0 .8em 1em; padding: .2em .5em; border-left: 3px solid transparent; cursor: pointer; }
        .hit.current { border-left-color: #c60; background: #fff8f0; }
        .where { color: #06c; font-size: .9em; }
        .snippet { margin: .2em 0; }
        mark { background: #ffe066; color: inherit; }
        .ocr { color: #a40; font-weight: bold; }
        nav { margin: 1em 0 3em; display: flex; gap: 1em; }
        aside { position: fixed; top: 0; right: 0; bottom: 0; width: min(42em, 100%); background: #fff; border-left: 1px solid #ccc;
                overflow-y: auto; padding: 1em 1.2em; box-shadow: -4px 0 12px rgba(0,0,0,.08); }
        aside pre { white-space: pre-wrap; font-family: inherit; }
        #close { float: right; }
        footer { padding: 0 1em 1em; }
        @media (max-width: 40em) { .hit { margin-left: 0; } header { padding: .5em; } }
        """

    static let script = #"""
        "use strict";
        const $ = (selector) => document.querySelector(selector);
        let hits = [], current = -1, pageSize = 10;

        function element(tag, className, text) {
          const node = document.createElement(tag);
          if (className) node.className = className;
          if (text !== undefined) node.textContent = text;
          return node;
        }

        // The section's text around its first match, every match in <mark>:
        // offsets are code points into section.text (the API's `matches`).
        function snippet(text, matches, context) {
          const chars = Array.from(text);
          const first = matches.length ? matches[0][0] : 0;
          const start = Math.max(0, first - context), end = Math.min(chars.length, start + 160);
          const node = element("p", "snippet");
          if (start > 0) node.append("…");
          let at = start;
          for (const [from, to] of matches) {
            if (to <= start || from >= end) continue;
            const a = Math.max(from, at), b = Math.min(to, end);
            if (a > at) node.append(chars.slice(at, a).join("").replace(/\s+/g, " "));
            node.append(element("mark", "", chars.slice(a, b).join("")));
            at = b;
          }
          if (end > at) node.append(chars.slice(at, end).join("").replace(/\s+/g, " "));
          if (end < chars.length) node.append("…");
          return node;
        }

        function where(hit) {
          const path = hit.section.path.length ? hit.section.path.join(" › ") : "(开头)";
          return path + " :" + hit.section.line + (hit.section.page ? " p." + hit.section.page : "");
        }

        function render(result, seconds, params) {
          const results = $("#results");
          results.replaceChildren();
          hits = result.hits; current = -1;
          const groups = new Map();
          for (const hit of result.hits) {
            if (!groups.has(hit.report.path)) groups.set(hit.report.path, []);
            groups.get(hit.report.path).push(hit);
          }
          let n = 0;
          for (const [path, group] of groups) {
            const report = group[0].report;
            const box = element("article", "report");
            box.append(element("h2", "", report.title));
            const meta = element("p", "meta");
            if (report.ocr) meta.append(element("span", "ocr", "OCR "));
            meta.append([report.year, report.kind, report.author, report.unit, path].filter((x) => x).join(" · "));
            box.append(meta);
            for (const hit of group) {
              const index = n++;
              const item = element("div", "hit");
              item.dataset.index = index;
              item.tabIndex = 0;
              item.append(element("div", "where", where(hit)));
              item.append(snippet(hit.section.text, hit.matches, 40));
              if (hit.duplicates.length) {
                item.append(element("div", "meta", "also in " + hit.duplicates.length + " reports: " +
                  hit.duplicates.map((d) => d.path + ":" + d.line).join(", ")));
              }
              item.addEventListener("click", () => { select(index); open(index); });
              box.append(item);
            }
            results.append(box);
          }
          const offset = Number(params.get("offset") || 0);
          $("#status").textContent = result.total === 0 ? "没有结果 (no matches)"
            : result.total + " hits · " + (offset + 1) + "–" + (offset + result.hits.length) + " · " + seconds.toFixed(3) + " s";
          const pages = $("#pages");
          pages.replaceChildren();
          if (offset > 0) pages.append(link("← previous", params, Math.max(0, offset - pageSize)));
          if (offset + result.hits.length < result.total) pages.append(link("next →", params, offset + pageSize));
        }

        function link(label, params, offset) {
          const next = new URLSearchParams(params);
          next.set("offset", String(offset));
          const a = element("a", "", label);
          a.href = "?" + next.toString();
          a.addEventListener("click", (event) => { event.preventDefault(); go(next, true); });
          return a;
        }

        async function go(params, push) {
          const q = params.get("q") || "";
          $("#q").value = q;
          if (push) history.pushState(null, "", "?" + params.toString());
          if (!q.trim()) { $("#results").replaceChildren(); $("#status").textContent = ""; return; }
          const api = new URLSearchParams(params);
          api.set("limit", String(pageSize));
          const started = performance.now();
          const response = await fetch("/api/search?" + api.toString());
          const body = await response.json();
          if (!response.ok) { $("#results").replaceChildren(); $("#status").textContent = body.error; return; }
          render(body, (performance.now() - started) / 1000, params);
        }

        function select(index) {
          const items = document.querySelectorAll(".hit");
          if (!items.length) return;
          current = Math.max(0, Math.min(items.length - 1, index));
          items.forEach((item) => item.classList.toggle("current", Number(item.dataset.index) === current));
          items[current].scrollIntoView({ block: "nearest" });
        }

        async function open(index) {
          const hit = hits[index];
          if (!hit) return;
          const response = await fetch("/api/section?path=" + encodeURIComponent(hit.report.path) + "&line=" + hit.section.line);
          const body = await response.json();
          if (!response.ok) return;
          $("#preview-title").textContent = hit.report.title;
          $("#preview-path").textContent = where(hit);
          const text = $("#preview-text");
          text.replaceChildren();
          const chars = Array.from(body.section.text);
          let at = 0;
          for (const [from, to] of hit.matches) {
            if (from > at) text.append(chars.slice(at, from).join(""));
            text.append(element("mark", "", chars.slice(from, to).join("")));
            at = to;
          }
          text.append(chars.slice(at).join(""));
          $("#preview").hidden = false;
          const mark = text.querySelector("mark");
          if (mark) mark.scrollIntoView({ block: "center" });
        }

        document.addEventListener("DOMContentLoaded", () => {
          $("#search").addEventListener("submit", (event) => {
            event.preventDefault();
            go(new URLSearchParams({ q: $("#q").value }), true);
          });
          $("#close").addEventListener("click", () => { $("#preview").hidden = true; });
          window.addEventListener("popstate", () => go(new URLSearchParams(location.search), false));
          document.addEventListener("keydown", (event) => {
            if (event.target === $("#q")) { if (event.key === "Escape") $("#q").blur(); return; }
            if (event.key === "/") { event.preventDefault(); $("#q").focus(); }
            else if (event.key === "j") select(current + 1);
            else if (event.key === "k") select(current - 1);
            else if (event.key === "Enter" && current >= 0) open(current);
            else if (event.key === "Escape") $("#preview").hidden = true;
          });
          fetch("/api/stats").then((r) => r.json()).then((s) => {
            $("#index").textContent = s.reports + " reports · " + s.sections + " sections · updated " + (s.updated || "?");
          });
          $("#q").focus();
          go(new URLSearchParams(location.search), false);
        });
        """#

    static func openSearch(base: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
        <ShortName>rsearch</ShortName>
        <Description>Search Chinese reports</Description>
        <InputEncoding>UTF-8</InputEncoding>
        <Url type="text/html" template="\(base)/?q={searchTerms}"/>
        <Url type="application/json" template="\(base)/api/search?q={searchTerms}"/>
        </OpenSearchDescription>
        """
    }

    /// The API's OpenAPI 3.1 description.
    static let openAPI = #"""
        {"openapi":"3.1.0","info":{"title":"rsearch","version":"1"},
         "paths":{
          "/api/search":{"get":{"summary":"Search: the object of rsearch QUERY --json (README, JSON output)",
            "parameters":[
              {"name":"q","in":"query","required":true,"schema":{"type":"string","maxLength":1000}},
              {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":1000,"default":10}},
              {"name":"offset","in":"query","schema":{"type":"integer","minimum":0,"default":0}},
              {"name":"sort","in":"query","schema":{"type":"string","enum":["score","year","path"]}},
              {"name":"year","in":"query","schema":{"type":"string","examples":["2022","2018..2022"]}},
              {"name":"enacted","in":"query","schema":{"type":"string"}},
              {"name":"kind","in":"query","schema":{"type":"string"}},
              {"name":"title","in":"query","schema":{"type":"string"}},
              {"name":"author","in":"query","schema":{"type":"string"}},
              {"name":"unit","in":"query","schema":{"type":"string"}},
              {"name":"fold","in":"query","schema":{"type":"string","enum":["true","false"]}}],
            "responses":{"200":{"description":"the result"},"400":{"description":"a bad query or parameter: {error, column}"}}}},
          "/api/reports":{"get":{"summary":"The reports, as rsearch list --json","responses":{"200":{"description":"reports"}}}},
          "/api/outline":{"get":{"summary":"A report's outline, as rsearch show PATH --json",
            "parameters":[{"name":"path","in":"query","required":true,"schema":{"type":"string"}}],
            "responses":{"200":{"description":"the outline"},"404":{"description":"no such report"}}}},
          "/api/section":{"get":{"summary":"One section, as rsearch show PATH:LINE --json",
            "parameters":[{"name":"path","in":"query","required":true,"schema":{"type":"string"}},
              {"name":"section","in":"query","schema":{"type":"integer","minimum":1}},
              {"name":"line","in":"query","schema":{"type":"integer","minimum":1}}],
            "responses":{"200":{"description":"the section"},"404":{"description":"no such report or section"}}}},
          "/api/stats":{"get":{"summary":"Figures about the index, as rsearch stats --json","responses":{"200":{"description":"stats"}}}}}}
        """#
}
